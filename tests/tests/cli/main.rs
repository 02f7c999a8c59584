//! The `huddle-auth` command line, driven as a user drives it: the built
//! binary, its arguments, environment, stdin, files, stdout, stderr and exit
//! status (0 success, 1 a rejected token or input with one line on stderr,
//! 2 a usage error). One module per subcommand; `support` runs the binary
//! and holds the checks every run must pass.

mod decode;
mod help;
mod interop;
mod key_files;
mod keygen;
mod lifetimes;
mod remote;
mod roles;
mod secrets;
mod support;
mod token;
mod verify;
mod webhook;
