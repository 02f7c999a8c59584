// Rule 3: at most 20 characters.
huddle_auth::role! {
    #[role(name = "moderator-of-the-main-stage")]
    pub struct Moderator {}
}

fn main() {}
