huddle_auth::role! {
    #[derive(Debug, PartialOrd)]
    pub struct Moderator: CoHost {}
}

fn main() {}
