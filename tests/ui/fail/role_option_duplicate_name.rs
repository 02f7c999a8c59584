huddle_auth::role! {
    #[role(name = "stage-bot", name = "backstage-bot")]
    pub struct StageBot {}
}

fn main() {}
