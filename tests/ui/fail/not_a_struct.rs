huddle_auth::role! {
    pub enum Chief {}
}

fn main() {}
