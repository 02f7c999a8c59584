// A near miss of `CoHost`.
huddle_auth::role! {
    pub struct Deputy: Cohost {}
}

fn main() {}
