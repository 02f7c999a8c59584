huddle_auth::role! {
    pub struct Chief {
        admin: ,
    }
}

fn main() {}
