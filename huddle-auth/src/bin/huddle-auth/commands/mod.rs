//! One module per subcommand; each writes its result to the writer it is given.

pub mod decode;
pub mod keygen;
pub mod roles;
#[cfg(feature = "hosted")]
pub mod room;
pub mod token;
pub mod verify;
#[cfg(feature = "webhooks")]
pub mod webhook;
