// Keys are the wire's camelCase names.
huddle_auth::role! {
    pub struct Viewer {
        can_produce: false,
    }
}

fn main() {}
