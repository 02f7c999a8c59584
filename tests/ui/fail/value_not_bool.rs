// Values are `true` or `false`.
huddle_auth::role! {
    pub struct Viewer {
        canConsume: yes,
    }
}

fn main() {}
