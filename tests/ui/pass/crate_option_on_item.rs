//! `#[role(crate = "...")]` names huddle-auth by another path, as with a
//! renamed dependency (`auth = { package = "huddle-auth", ... }`); here the
//! tests crate renames it with `extern crate`, since Cargo does not let one
//! crate depend on the same package under two names.
extern crate huddle_auth as auth;

use auth::StaticRole;

auth::role! {
    #[role(crate = "auth", name = "stage-bot")]
    pub struct StageBot: Listener {}
}

fn main() {
    assert_eq!(StageBot::NAME, "stage-bot");
    assert_eq!(StageBot::PERMISSIONS, auth::Role::Listener.permissions());
}
