huddle_auth::role! {
    pub struct Chief {
        admin true,
    }
}

fn main() {}
