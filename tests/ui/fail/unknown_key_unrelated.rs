// Nothing close: the message lists every key.
huddle_auth::role! {
    pub struct Pilot {
        canFly: true,
    }
}

fn main() {}
