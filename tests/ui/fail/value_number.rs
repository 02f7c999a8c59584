// `1` is not `true`.
huddle_auth::role! {
    pub struct Chief {
        admin: 1,
    }
}

fn main() {}
