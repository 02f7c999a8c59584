// `True` is not `true`.
huddle_auth::role! {
    pub struct Chief {
        admin: True,
    }
}

fn main() {}
