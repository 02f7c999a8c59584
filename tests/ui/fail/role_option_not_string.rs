huddle_auth::role! {
    #[role(name = stage_bot)]
    pub struct StageBot {}
}

fn main() {}
