//! Error values. Each names the field or the reason, and none ever holds a
//! secret: messages carry key ids, sizes and claim names, never key material.

use crate::{Algorithm, RuleViolation};

/// Why a key could not be built or loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key id is empty.
    #[error("key id: must not be empty")]
    EmptyKeyId,
    /// An HMAC secret shorter than 32 bytes (RFC 7518 section 3.2 wants at
    /// least the hash size).
    #[error("api secret: HS256 needs at least 32 bytes, got {bytes}")]
    SecretTooShort {
        /// The secret's length in bytes.
        bytes: usize,
    },
    /// The API secret is the key id itself. The id travels in clear in every
    /// token (`kid`, `projectId`), so the secret would be published.
    #[error("api secret: is the same as the key id; the secret must never be the key id, which every token carries in clear")]
    SecretIsKeyId,
    /// An environment variable that the key is read from is not set (or empty).
    #[error("{variable}: not set")]
    MissingEnv {
        /// The variable's name.
        variable: &'static str,
    },
    /// An environment variable that the key is read from holds an unusable value.
    #[error("{variable}: {reason}")]
    Env {
        /// The variable's name.
        variable: &'static str,
        /// What is wrong with its value (never the value itself).
        reason: &'static str,
    },
    /// A key file that could not be read, or does not hold a usable key.
    #[error("{path}: {reason}")]
    File {
        /// The file's path.
        path: String,
        /// Why it failed (never the file's contents).
        reason: String,
    },
    /// A PEM or DER document that could not be read.
    #[error("{what}: {reason}")]
    Encoding {
        /// What was being read (`private key PEM`, `public key PEM`, ...).
        what: &'static str,
        /// Why it failed.
        reason: String,
    },
    /// A key of a type or curve this crate does not sign or verify with.
    #[error("unsupported key: {what}; use Ed25519, P-256 or RSA (2048 bits or more)")]
    Unsupported {
        /// What the key was.
        what: String,
    },
    /// An RSA key under 2048 bits (RFC 7518 section 3.3).
    #[error("RSA key: {bits} bits is too small, at least 2048 are required")]
    RsaTooSmall {
        /// The modulus size in bits.
        bits: usize,
    },
    /// An RSA key over 4096 bits: each verification would cost the modulus
    /// size cubed.
    #[error("RSA key: {bits} bits is too large, at most 4096 are accepted")]
    RsaTooLarge {
        /// The modulus size in bits.
        bits: usize,
    },
    /// A key of a supported type that is known to be weak (an RSA modulus
    /// with the ROCA fingerprint).
    #[error("weak key: {reason}")]
    WeakKey {
        /// Why the key is weak.
        reason: String,
    },
    /// A JWK that is not a usable public signing key.
    #[error("JWK{}: {reason}", kid.as_ref().map(|kid| format!(" {kid:?}")).unwrap_or_default())]
    Jwk {
        /// The JWK's `kid`, if it had one.
        kid: Option<String>,
        /// Why it was refused.
        reason: String,
    },
    /// A JWKS document that is not valid.
    #[error("JWKS: {reason}")]
    Jwks {
        /// Why it was refused.
        reason: String,
    },
    /// A key was added to a verifier whose keys come from a remote JWKS:
    /// its keys are the URL's, and only those.
    #[error("this verifier's keys come from a remote JWKS; a key cannot be added to them")]
    RemoteKeySet,
    /// Two keys with the same `kid`: a token would be ambiguous.
    #[error("key id {kid:?}: given twice")]
    DuplicateKeyId {
        /// The repeated key id.
        kid: String,
    },
    /// Generating a key failed.
    #[error("generating a {alg} key failed: {reason}")]
    Generate {
        /// The algorithm of the key.
        alg: Algorithm,
        /// Why it failed.
        reason: String,
    },
}

/// Why a token could not be minted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MintError {
    /// A rule of the permission model is broken.
    #[error("{field}: {0}", field = .0.field())]
    Rule(#[from] RuleViolation),
    /// An input is not acceptable.
    #[error("{field}: {reason}")]
    Invalid {
        /// The input at fault, by its wire name (`roomId`, `ttl`, `metadata`, ...).
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The signature could not be made.
    #[error("signing failed: {reason}")]
    Signing {
        /// Why it failed.
        reason: String,
    },
}

impl MintError {
    /// The field at fault, if the error is about one input.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            MintError::Rule(rule) => Some(rule.field()),
            MintError::Invalid { field, .. } => Some(field),
            MintError::Signing { .. } => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        MintError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

/// Why a token was refused. Match on the variant to tell an attack from an
/// expired session; the message names the claim or header at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is longer than the verifier accepts (checked before decoding).
    #[error("token is {bytes} bytes, over the limit of {limit}")]
    TooLarge {
        /// The token's length.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The token is not a well-formed compact JWS.
    #[error("malformed token{}: {reason}", if *part == "token" { String::new() } else { format!(" {part}") })]
    Malformed {
        /// The part at fault: `token`, `header`, `payload` or `signature`.
        part: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The header names no key, or a key this verifier does not hold.
    #[error("{}", match kid {
        Some(kid) => format!("unknown key id {kid:?}"),
        None => "the header has no key id (kid)".to_owned(),
    })]
    UnknownKey {
        /// The `kid` of the header, if it had one.
        kid: Option<String>,
    },
    /// The header's `alg` is not the one bound to the key its `kid` names.
    #[error("algorithm {alg:?} is not allowed for this key, which only verifies {expected}")]
    AlgorithmNotAllowed {
        /// The `alg` of the header (`none`, `HS512`, ...).
        alg: String,
        /// The algorithm the key is bound to.
        expected: Algorithm,
    },
    /// The header lists extensions in `crit` that must be understood (RFC 7515
    /// section 4.1.11); this verifier understands none.
    #[error("header crit: {reason}")]
    CriticalHeader {
        /// What is wrong with `crit`.
        reason: String,
    },
    /// The signature does not match.
    #[error("bad signature")]
    BadSignature,
    /// `exp` is past (with the leeway).
    #[error("token expired at {} ({} ago)", rfc3339(*exp), elapsed(*exp, *now))]
    Expired {
        /// The token's `exp`.
        exp: u64,
        /// The time of the check.
        now: u64,
    },
    /// `nbf` is still in the future (beyond the leeway).
    #[error("token not valid before {} ({} from now)", rfc3339(*nbf), elapsed(*now, *nbf))]
    NotYetValid {
        /// The token's `nbf`.
        nbf: u64,
        /// The time of the check.
        now: u64,
    },
    /// `iat` is in the future (beyond the leeway).
    #[error("token issued in the future at {iat} (now {now})")]
    IssuedInFuture {
        /// The token's `iat`.
        iat: u64,
        /// The time of the check.
        now: u64,
    },
    /// `exp - iat` is longer than the verifier's maximum lifetime.
    #[error("token lifetime of {lifetime} s is over the maximum of {max} s")]
    LifetimeTooLong {
        /// `exp - iat` in seconds.
        lifetime: u64,
        /// The verifier's maximum in seconds.
        max: u64,
    },
    /// The token is for another room than the one required.
    #[error("roomId: token is for room {found:?}, expected {expected:?}")]
    WrongRoom {
        /// The room the verifier requires.
        expected: String,
        /// The room in the token.
        found: String,
    },
    /// The token's `iss` is not the issuer the verifier's profile requires
    /// (`Huddle01` for [`TokenProfile::Huddle01`](crate::TokenProfile::Huddle01)).
    #[error("iss: {}, expected {expected:?}", match found {
        Some(iss) => format!("the token was issued by {iss:?}"),
        None => "the token names no issuer".to_owned(),
    })]
    WrongIssuer {
        /// The issuer required.
        expected: &'static str,
        /// The token's `iss`, if it has one.
        found: Option<String>,
    },
    /// The verifier's keys come from a remote JWKS that could not be had:
    /// the fetch failed (and no earlier set may still serve), or, for the
    /// synchronous `verify`, no fresh set is cached yet. The token may be
    /// fine; the server cannot tell, so it fails closed.
    #[error("the key set is unavailable: {reason}")]
    KeysUnavailable {
        /// Why, on one line.
        reason: String,
    },
    /// A claim is missing, of the wrong type, or breaks a rule.
    #[error("invalid claims, {field}: {reason}")]
    InvalidClaims {
        /// The claim at fault, as a dotted path (`permissions.canProduce`).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The token's role is not the role it was narrowed to.
    #[error("role: token has {}, expected {expected:?}", match found {
        Some(role) => format!("role {role:?}"),
        None => "no role".to_owned(),
    })]
    RoleMismatch {
        /// The role asked for.
        expected: &'static str,
        /// The role in the token.
        found: Option<String>,
    },
    /// The token carries the role's name but not exactly its permissions:
    /// a [`Peer<R>`](crate::Peer) is a proof that the token grants exactly
    /// `R::PERMISSIONS`, no more and no less.
    #[error(
        "permissions.{field}: the token has {found}, the role {role:?} has {expected}; \
         a token narrows to a role type only with exactly that role's permissions"
    )]
    PermissionMismatch {
        /// The role asked for.
        role: &'static str,
        /// The first permission that differs, by its wire path
        /// (`canProduceSources.cam`).
        field: String,
        /// Its value in the token.
        found: bool,
        /// Its value in the role.
        expected: bool,
    },
}

/// `secs` since the Unix epoch as an RFC 3339 time, or as seconds when past
/// the year 9999, which RFC 3339 cannot write.
fn rfc3339(secs: u64) -> String {
    const LAST_RFC3339_SECOND: u64 = 253_402_300_799;
    if secs > LAST_RFC3339_SECOND {
        return format!("{secs} s after the Unix epoch");
    }
    humantime::format_rfc3339(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .to_string()
}

/// How long from `earlier` to `later`, as `1h 2m 3s`.
fn elapsed(earlier: u64, later: u64) -> humantime::FormattedDuration {
    humantime::format_duration(std::time::Duration::from_secs(
        later.saturating_sub(earlier),
    ))
}

impl VerifyError {
    pub(crate) fn claims(field: impl Into<String>, reason: impl Into<String>) -> Self {
        VerifyError::InvalidClaims {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn malformed(part: &'static str, reason: impl Into<String>) -> Self {
        VerifyError::Malformed {
            part,
            reason: reason.into(),
        }
    }
}
