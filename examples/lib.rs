//! Runnable examples of huddle-auth live in `examples/`; run one with
//! `cargo run -p huddle-auth-examples --example quickstart`.
//!
//! The token server's routes live in this library, in [`token_server`], so
//! that tests can start the same server in-process.

pub mod token_server;
