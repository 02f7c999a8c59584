huddle_auth::role! {
    #[role(crate = "huddle-auth")]
    pub struct Moderator: CoHost {}
}

fn main() {}
