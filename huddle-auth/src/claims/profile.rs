//! Token profiles: what a verifier demands of a token beyond its signature
//! and times, by who issued it.

use huddle_auth_core::{Permissions, ProduceSources};

/// The `iss` of every token Huddle01's infra issues.
pub const HUDDLE01_ISSUER: &str = "Huddle01";

/// Which kind of token a [`TokenVerifier`](crate::TokenVerifier) accepts.
///
/// The two differ where Huddle01's infra differs from this crate's minting;
/// the signature, the times, the lifetime, the room and the text claims are
/// checked the same way under both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenProfile {
    /// Tokens this crate (or the Huddle01 SDK) minted with your own keys:
    /// a `kid` names the key, whatever the key set (a kid-less token is
    /// refused even by a set with kid-less keys); the permissions must obey
    /// rules 1 and 2 as written (a source under `canProduce: false` refuses
    /// the token); `iss` is not required.
    #[default]
    SelfSigned,
    /// Tokens Huddle01's infra issued: `iss` must be `Huddle01`; `kid`,
    /// `projectId`, `nbf` and `jti` are optional (the infra writes none of
    /// them), and a token without a `kid` is checked against each public key
    /// of its `alg` in the key set, at most four, so a key rotation works.
    ///
    /// The infra does not apply rules 1 and 2, and the SDK's defaults give
    /// custom roles every source under `canProduce: false`. Such a token is
    /// accepted, and its claims report the **effective** permissions: a
    /// source counts only with `canProduce`, as Huddle01's web client
    /// checks, so [`Claims::permissions`](crate::Claims::permissions) of
    /// that token has every source off.
    Huddle01,
}

impl TokenProfile {
    /// The `iss` a token must carry, if any.
    pub(crate) const fn required_issuer(self) -> Option<&'static str> {
        match self {
            TokenProfile::SelfSigned => None,
            TokenProfile::Huddle01 => Some(HUDDLE01_ISSUER),
        }
    }

    /// Whether a token's permissions must obey rules 1 and 2 as written.
    pub(crate) const fn permissions_as_written(self) -> bool {
        matches!(self, TokenProfile::SelfSigned)
    }

    /// Whether a token without a `kid` may be verified at all: against the
    /// public keys of its `alg`, named or not. Only Huddle01's profile.
    pub(crate) const fn kid_optional(self) -> bool {
        matches!(self, TokenProfile::Huddle01)
    }
}

/// The permissions a peer actually has: sources only with `canProduce`.
pub(crate) const fn effective(mut permissions: Permissions) -> Permissions {
    if !permissions.can_produce {
        permissions.can_produce_sources = ProduceSources::NONE;
    }
    permissions
}
