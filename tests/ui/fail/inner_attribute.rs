huddle_auth::role! {
    //! Roles of the stage.
    pub struct StageBot {}
}

fn main() {}
