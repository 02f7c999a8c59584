// `"true"` is a string, not a value.
huddle_auth::role! {
    pub struct Viewer {
        canConsume: "true",
    }
}

fn main() {}
