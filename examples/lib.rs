//! Runnable examples of huddle-auth live in `examples/`; run one with
//! `cargo run -p huddle-auth-examples --example quickstart`.
