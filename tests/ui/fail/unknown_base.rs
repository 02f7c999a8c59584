// Only the predefined roles can be a base.
huddle_auth::role! {
    pub struct Deputy: Moderator {}
}

fn main() {}
