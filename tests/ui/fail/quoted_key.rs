// Keys are bare names, not JSON strings.
huddle_auth::role! {
    pub struct Chief {
        "admin": true,
    }
}

fn main() {}
