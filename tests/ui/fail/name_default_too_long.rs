// Rule 3 on the default name: `moderatorOfTheMainStage` has 23 characters.
huddle_auth::role! {
    pub struct ModeratorOfTheMainStage {}
}

fn main() {}
