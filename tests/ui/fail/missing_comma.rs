huddle_auth::role! {
    pub struct Chief {
        admin: true
        canConsume: true,
    }
}

fn main() {}
