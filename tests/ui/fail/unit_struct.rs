// A role needs a block, even an empty one.
huddle_auth::role! {
    pub struct Chief;
}

fn main() {}
