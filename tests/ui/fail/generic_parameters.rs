huddle_auth::role! {
    pub struct Chief<T> {}
}

fn main() {}
