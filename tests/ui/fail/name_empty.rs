// Rule 3: a name is not empty.
huddle_auth::role! {
    #[role(name = "")]
    pub struct Nameless {}
}

fn main() {}
