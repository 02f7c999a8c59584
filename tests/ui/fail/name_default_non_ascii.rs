// Rule 3 on the default name: `é` is not an ASCII letter.
huddle_auth::role! {
    pub struct Modérateur {}
}

fn main() {}
