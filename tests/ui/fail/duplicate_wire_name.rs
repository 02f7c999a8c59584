// `StageBot` is `stageBot` on the wire, and so is the other role.
huddle_auth::role! {
    pub struct StageBot: Bot {}

    #[role(name = "stageBot")]
    pub struct BackstageBot: Bot {}
}

fn main() {}
