//! Access tokens for Huddle01-style audio/video rooms.
//!
//! A backend mints a signed token (a JWT) that lets one peer join one room
//! with a role and permissions ([`AccessToken`]); a media or app server
//! verifies it ([`TokenVerifier`]) and asks the verified [`Claims`] what the
//! peer may do. Roles declared in code with [`role!`] are checked while the
//! program compiles, and their capabilities can be demanded in signatures
//! through the marker traits of [`can`].
//!
//! The wire format is the Huddle01 server SDK's: the same seven permission
//! keys, the same role table, metadata as a JSON string.
//!
//! ```
//! use huddle_auth::{AccessToken, ApiKey, Role, TokenVerifier};
//!
//! // The Node SDK's example, in Rust.
//! let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
//! let token = AccessToken::new(&key, "abc-defg-hij")
//!     .role(Role::Host)
//!     .metadata(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
//!     .to_jwt()?;
//!
//! let claims = TokenVerifier::new().with_api_key(&key)?.verify(&token)?;
//! assert_eq!(claims.room_id(), "abc-defg-hij");
//! assert!(claims.is_admin());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Roles checked at compile time
//!
//! [`role!`] declares roles in code. Each role becomes a zero-sized type that
//! implements [`StaticRole`] (its wire name and permissions as constants) and
//! one marker trait of [`can`] per capability it grants. The rules are
//! checked while the program compiles, so a role that could never be minted
//! is a compile error, not a failure in production.
//!
//! ```text
//! role! {
//!     /// Doc comments and other attributes pass through to the struct.
//!     #[role(name = "wire-name")]    // optional; default: the struct name in lowerCamelCase
//!     pub struct Name: Base {         // any visibility; `: Base` is optional
//!         key: true,                  // admin, canConsume, canProduce, canSendData,
//!                                     // canRecvData, canUpdateMetadata
//!         canProduceSources: { cam: false, mic: true, screen: true },
//!     }
//!     // ...any number of roles
//! }
//! ```
//!
//! - `Base` is one of the predefined roles: `Host`, `CoHost`, `Speaker`,
//!   `Listener`, `Guest`, `Bot`. Without a base a role starts from the
//!   default permissions ([`Permissions::DEFAULT`], as the SDK's custom roles do).
//! - Keys are the wire names; a key not written keeps the base's value, and so
//!   does a source not named in `canProduceSources`. Blocks may be empty and
//!   trailing commas are allowed.
//! - The wire name defaults to the struct name in lowerCamelCase
//!   (`StageBot` becomes `stageBot`).
//!
//! After merging each role over its base, the macro checks the rules of
//! [`rules`]: a source only with `canProduce` (rule 1), `canProduce` only
//! with a source (rule 2), and a name of 1 to 20 ASCII letters, digits, `_`
//! or `-` that is not a predefined name in any case (rule 3). It also
//! rejects unknown keys, sources and bases (suggesting the closest name),
//! duplicate keys and sources, values other than `true`/`false`, and two
//! roles with the same wire name. Every error of an invocation is reported
//! at once, each at the token at fault; a role with an error is still
//! declared, so the rest of the program reports nothing more.
//!
//! ```
//! use huddle_auth::{can, role, AccessToken, ApiKey, Peer, StaticRole, TokenVerifier};
//!
//! role! {
//!     /// Runs the stage but never shows a camera.
//!     pub struct Moderator: Guest {
//!         canProduceSources: { cam: false },
//!         canUpdateMetadata: false,
//!     }
//!
//!     /// Records the room.
//!     #[role(name = "stage-bot")]
//!     pub struct StageBot {
//!         admin: false,
//!         canConsume: true,
//!         canProduce: false,
//!         canProduceSources: { cam: false, mic: false, screen: false },
//!         canSendData: false,
//!         canRecvData: true,
//!         canUpdateMetadata: false,
//!     }
//! }
//!
//! assert_eq!(Moderator::NAME, "moderator");
//! assert!(!Moderator::PERMISSIONS.can_produce_sources.cam);
//! assert_eq!(StageBot::NAME, "stage-bot");
//!
//! // A capability demanded in a signature: only roles that may share their
//! // screen can call this.
//! fn share_screen<R: can::ProduceScreen>(peer: &Peer<R>) -> &str {
//!     peer.peer_id()
//! }
//!
//! // A typed role mints like any role; verifying with `verify_as` (or
//! // `Claims::narrow`) checks that the token's role is `Moderator` with
//! // exactly `Moderator`'s permissions, and types the result as `Peer<Moderator>`.
//! let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
//! let token = AccessToken::new(&key, "abc-defg-hij").role(Moderator).to_jwt()?;
//! let verifier = TokenVerifier::new().with_api_key(&key)?;
//! let moderator: Peer<Moderator> = verifier.verify_as(&token)?;
//! share_screen(&moderator);
//!
//! // A token of another role does not narrow to `StageBot`.
//! assert!(verifier.verify_as::<StageBot>(&token).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A role that breaks a rule does not compile. Here a listener may share its
//! screen but not produce, which is reported at `screen: true`:
//!
//! ```compile_fail
//! huddle_auth::role! {
//!     pub struct Presenter: Listener {
//!         canProduceSources: { screen: true },
//!     }
//! }
//! ```
//!
//! And a role that lacks a capability cannot be passed where it is demanded:
//! a [`roles::Speaker`] may publish its microphone and screen, not its camera.
//!
//! ```compile_fail,E0277
//! use huddle_auth::{can, roles::Speaker, Peer};
//!
//! fn start_camera<R: can::ProduceCam>(_peer: &Peer<R>) {}
//!
//! fn on_join(peer: &Peer<Speaker>) {
//!     start_camera(peer); // the role `Speaker` may not publish its camera
//! }
//! ```
//!
//! A [`Peer<R>`] is a proof that the token grants exactly `R`: its role is
//! `R::NAME` and its permissions equal `R::PERMISSIONS`. A token minted from
//! `R` with permission overrides that change anything, or a token of another
//! role type that shares `R`'s wire name, does not narrow to `R`
//! ([`VerifyError::PermissionMismatch`]). A refused [`Claims::narrow`] hands
//! the claims back ([`NarrowError::into_claims`]) to try another role. A
//! `Peer<R>` has no metadata type, so `fn f<R: can::Admin>(peer: &Peer<R>)`
//! takes every admin peer; read typed metadata with [`Peer::metadata_as`].
//!
//! The predefined roles of [`roles`] are declared with this same macro.

// On docs.rs (`--cfg docsrs`), every item behind a feature says which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

// Lets code generated by `role!` name this crate as `::huddle_auth` inside it too.
extern crate self as huddle_auth;

#[cfg(feature = "axum")]
pub mod axum;
pub mod can;
mod claims;
mod error;
#[cfg(feature = "hosted")]
pub mod hosted;
#[cfg(feature = "hosted")]
mod http;
mod jws;
mod keys;
mod lifetime;
#[cfg(feature = "hosted")]
mod remote_jwks;
mod role;
pub mod roles;
mod token;
mod ttl;
mod unverified;
mod verify;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use claims::{Claims, NarrowError, Peer, RoomInfo, RoomType, TokenProfile, HUDDLE01_ISSUER};
pub use error::{KeyError, MintError, VerifyError};
pub use huddle_auth_core::rules;
pub use huddle_auth_core::{
    may_assign_role, Capability, Flag, PatchError, Permissions, PermissionsPatch, ProduceSources,
    Role, RuleViolation, Source, SourcesPatch,
};
pub use jws::{TokenSigner, MAX_TOKEN_BYTES};
pub use keys::{Algorithm, ApiKey, KeySet, PrivateKey, PublicKey, SigningKey, SkippedKey};
pub use lifetime::DEFAULT_MAX_LIFETIME;
#[cfg(feature = "hosted")]
pub use remote_jwks::{
    Clock, FetchError, FetchFuture, HttpJwksSource, JwksError, JwksSource, JwksUrl, RemoteJwks,
    RemoteJwksConfig, SystemClock, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_AGE, DEFAULT_MISS_COOLDOWN,
    DEFAULT_STALE_IF_ERROR, MAX_JWKS_BYTES,
};
pub use role::{CustomRole, IntoRole, StaticRole};
pub use token::AccessToken;
pub use ttl::Ttl;
pub use unverified::{decode_unverified, has_three_segments, UnverifiedToken};
#[cfg(feature = "hosted")]
pub use verify::HUDDLE01_JWKS_URL;
pub use verify::{TokenVerifier, DEFAULT_LEEWAY, MAX_KIDLESS_CANDIDATES};

/// JWK and JWKS types, from `jsonwebtoken`.
pub mod jwk {
    pub use jsonwebtoken::jwk::{Jwk, JwkSet};
}

/// Paths used by code that `role!` generates. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::can;
    pub use crate::{Permissions, ProduceSources, StaticRole};
    pub use huddle_auth_macros::role;
}

/// Declares roles checked at compile time.
///
/// Each role becomes a zero-sized struct that implements [`StaticRole`] (its
/// wire name and permissions as constants) and one marker trait of
/// [`can`] per capability it grants. The grammar:
///
/// ```text
/// role! {
///     #![role(crate = "auth")]        // optional, first: the path of huddle-auth
///                                     // for every role below
///     /// Doc comments and other attributes pass through to the struct.
///     #[role(name = "wire-name")]     // optional; default: the struct name in lowerCamelCase
///     #[role(crate = "auth")]         // optional: the path of huddle-auth for this role
///     pub struct Name: Base {         // any visibility; `: Base` is optional
///         key: true,                  // admin, canConsume, canProduce, canSendData,
///                                     // canRecvData, canUpdateMetadata
///         canProduceSources: { cam: false, mic: true, screen: true },
///     }
///     // ...any number of roles
/// }
/// ```
///
/// - `Base` is a predefined role: `Host`, `CoHost`, `Speaker`, `Listener`,
///   `Guest` or `Bot`. Without a base a role starts from the default
///   permissions ([`Permissions::DEFAULT`]). A key not written keeps the
///   base's value, and so does a source not named in `canProduceSources`.
/// - After merging, the rules of [`rules`] are checked: a source only with
///   `canProduce` (rule 1), `canProduce` only with a source (rule 2), and a
///   valid custom wire name that is not a predefined one (rule 3). A role
///   that breaks one is a compile error at the value at fault.
/// - The macro derives `Debug`, `Clone`, `Copy`, `Default`, `PartialEq`,
///   `Eq` and `Hash`; a `#[derive]` of one of them is an error, any other
///   derive passes through.
/// - The generated code names this crate by `$crate`, so it works under any
///   name your Cargo.toml gives the dependency
///   (`auth = { package = "huddle-auth", ... }`) and through a crate that
///   re-exports it. `crate = "..."`, as serde's `#[serde(crate = "...")]`,
///   names another path instead.
///
/// The crate documentation, section "Roles checked at compile time", has
/// examples and what the expansion of one role looks like.
#[macro_export]
macro_rules! role {
    ($($input:tt)*) => {
        $crate::__private::role! { @crate $crate; $($input)* }
    };
}

// Runs the README's Rust examples as doctests, so the README cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
