//! The `role!` macro of huddle-auth. This crate is an implementation detail:
//! depend on `huddle-auth`, which re-exports `role!` and documents it.
