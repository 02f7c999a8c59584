// Rule 3: a predefined name in another case is still the predefined name.
huddle_auth::role! {
    #[role(name = "HOST")]
    pub struct Boss: Host {}
}

fn main() {}
