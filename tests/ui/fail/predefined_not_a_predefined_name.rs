// The hidden `predefined` option cannot lend a custom role a way around rule 3.
huddle_auth::role! {
    #[role(predefined)]
    pub struct Moderator {}
}

fn main() {}
