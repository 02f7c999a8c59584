//! `#![role(crate = "...")]` at the start of an invocation names huddle-auth
//! by another path for every role of it (see crate_option_on_item.rs for why
//! `extern crate`).
extern crate huddle_auth as auth;

use auth::{can, StaticRole};

auth::role! {
    #![role(crate = "::auth")]

    pub struct Moderator: CoHost {}
    pub struct Viewer: Listener {}
}

fn admin<R: can::Admin>() {}

fn main() {
    admin::<Moderator>();
    assert_eq!(Viewer::NAME, "viewer");
}
