//! Compile-time behaviour of `role!`: every program under `ui/pass/` builds
//! and runs, every program under `ui/fail/` fails with the error in its
//! `.stderr` snapshot (one failure per file, named after it).
//!
//! Snapshots are written by `TRYBUILD=overwrite cargo test -p huddle-auth-tests --test ui`
//! and reviewed by reading them; never edit them by hand.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
