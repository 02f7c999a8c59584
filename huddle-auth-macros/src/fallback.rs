//! What a role with an error still becomes.
//!
//! The build fails anyway; the fallback's only job is to keep the rest of the
//! user's code from drowning the real error in follow-on ones ("cannot find
//! type `Moderator`", "`Moderator` does not implement `can::ProduceCam`").
//! So the struct and its `StaticRole` impl are emitted with the best guess at
//! its name and permissions, and every capability marker is implemented: no
//! capability bound can fail because of a role that is already reported.

use huddle_auth_core::Capability;
use proc_macro2::TokenStream;

use crate::check::CheckedRole;
use crate::expand;

/// The code for a role that broke a rule or did not parse cleanly.
pub fn role(role: &CheckedRole) -> TokenStream {
    expand::emit(role, &Capability::ALL, TokenStream::new())
}
