huddle_auth::role! {
    #[role(nmae = "stage-bot")]
    pub struct StageBot {}
}

fn main() {}
