// The hidden `predefined` option cannot mint a `host` with other permissions.
huddle_auth::role! {
    #[role(predefined)]
    pub struct Host {
        admin: false,
    }
}

fn main() {}
