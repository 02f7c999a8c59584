// The base is a bare name.
huddle_auth::role! {
    pub struct Deputy: huddle_auth::roles::CoHost {}
}

fn main() {}
