//! A remote JWKS, fetched and cached: the engine behind verifiers whose keys
//! live at a URL, generic over where the bytes come from ([`JwksSource`]) and
//! what they are parsed into.

mod cache;
mod clock;
mod config;
mod error;
mod http_source;
mod source;
mod url;

#[cfg(test)]
mod tests;

pub use cache::RemoteJwks;
pub use clock::{Clock, SystemClock};
pub use config::{
    RemoteJwksConfig, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_AGE, DEFAULT_MISS_COOLDOWN,
    DEFAULT_STALE_IF_ERROR,
};
pub use error::JwksError;
pub use http_source::{HttpJwksSource, MAX_JWKS_BYTES};
pub use source::{FetchError, FetchFuture, JwksSource};
pub use url::JwksUrl;
