//! One module per subcommand; each writes its result to the writer it is given.

pub mod decode;
pub mod keygen;
pub mod roles;
pub mod token;
pub mod verify;
