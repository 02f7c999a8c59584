//! Integration and UI tests of huddle-auth live in `tests/`; this library
//! holds the fixtures they share ([`fixtures`]).

pub mod fixtures;
