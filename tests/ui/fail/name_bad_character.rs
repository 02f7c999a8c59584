// Rule 3: ASCII letters, digits, `_` and `-` only.
huddle_auth::role! {
    #[role(name = "stage bot")]
    pub struct StageBot {}
}

fn main() {}
