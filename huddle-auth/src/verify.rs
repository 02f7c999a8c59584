//! Verifying tokens: `TokenVerifier`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::claims::DecodedClaims;
use crate::keys::{self, VerifyingKey, B64};
use crate::token::unix_now;
use crate::{ApiKey, Claims, KeyError, Peer, PrivateKey, PublicKey, StaticRole, VerifyError};

/// The largest token accepted; longer input is refused before any decoding.
pub const MAX_TOKEN_BYTES: usize = 32 * 1024;

/// The default clock leeway.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(30);

/// The default longest lifetime (`exp - iat`) a token may have: 30 days.
pub const DEFAULT_MAX_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Verifies access tokens against keys held by `kid`.
///
/// Each key is bound to one algorithm, so a token is checked only with the
/// algorithm of the key its header names (no `none`, no HS/RS confusion, no
/// trying every key). The signature is checked before any claim; then `exp`
/// and `iat` (required), `nbf`, the lifetime, the room and rules 1 to 5.
///
/// ```
/// use huddle_auth::{AccessToken, ApiKey, Role, TokenVerifier, VerifyError};
///
/// let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
/// let verifier = TokenVerifier::new().with_api_key(&key)?.require_room("abc-defg-hij");
///
/// let token = AccessToken::new(&key, "abc-defg-hij").role(Role::Speaker).to_jwt()?;
/// let claims = verifier.verify(&token)?;
/// assert!(claims.may_produce("audio"));
/// assert!(!claims.may_produce("video"));
///
/// let elsewhere = AccessToken::new(&key, "another-room").to_jwt()?;
/// assert!(matches!(verifier.verify(&elsewhere), Err(VerifyError::WrongRoom { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TokenVerifier {
    keys: HashMap<String, VerifyingKey>,
    // The header segment this crate mints for each key, to its kid: see `key_for`.
    minted_headers: HashMap<String, String>,
    leeway: u64,
    max_lifetime: Option<u64>,
    room_id: Option<String>,
}

impl Default for TokenVerifier {
    fn default() -> Self {
        TokenVerifier::new()
    }
}

/// The header members this verifier reads. Any other member is ignored; in
/// particular `jwk`, `jku`, `x5u` and `x5c` are never used to find a key
/// (RFC 8725 section 3.10).
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    alg: Cow<'a, str>,
    #[serde(default, borrow)]
    kid: Option<Cow<'a, str>>,
    // `present`, as for `crit`: `"typ": null` is a `typ` that is not a
    // string, not an absent one.
    #[serde(default, borrow, deserialize_with = "crate::claims::present")]
    typ: Option<Cow<'a, str>>,
    // Read with `present`: `"crit": null` is a `crit` that is not an array
    // (RFC 7515 section 4.1.11), not an absent one.
    #[serde(default, deserialize_with = "crate::claims::present")]
    crit: Option<serde_json::Value>,
}

/// Header parameters registered by RFC 7515 and RFC 7518, which `crit` must
/// never name (RFC 7515 section 4.1.11).
const REGISTERED_HEADERS: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

impl TokenVerifier {
    /// A verifier with no keys, a 30 s leeway, a 30-day maximum lifetime and
    /// no required room.
    pub fn new() -> Self {
        TokenVerifier {
            keys: HashMap::new(),
            minted_headers: HashMap::new(),
            leeway: DEFAULT_LEEWAY.as_secs(),
            max_lifetime: Some(DEFAULT_MAX_LIFETIME.as_secs()),
            room_id: None,
        }
    }

    /// A verifier holding every key of a JWKS document.
    pub fn from_jwks(jwks: &str) -> Result<Self, KeyError> {
        TokenVerifier::new().with_jwks(jwks)
    }

    fn insert(mut self, kid: String, key: VerifyingKey) -> Result<Self, KeyError> {
        if self.keys.contains_key(&kid) {
            return Err(KeyError::DuplicateKeyId { kid });
        }
        let header = keys::header_segment(key.algorithm(), &kid);
        self.keys.insert(kid.clone(), key);
        // Remembered only if the full header check takes it, to this very key.
        let taken = match (self.read_header(&header), self.keys.get(&kid)) {
            (Ok(found), Some(held)) => std::ptr::eq(found, held),
            _ => false,
        };
        if taken {
            self.minted_headers.insert(header, kid);
        }
        Ok(self)
    }

    /// Adds an API key: HS256 tokens whose `kid` is its id.
    pub fn with_api_key(self, key: &ApiKey) -> Result<Self, KeyError> {
        self.insert(key.id().to_owned(), VerifyingKey::from_api_key(key))
    }

    /// Adds the public half of a private key, under the private key's `kid`.
    pub fn with_private_key(self, key: &PrivateKey) -> Result<Self, KeyError> {
        self.insert(key.kid().to_owned(), VerifyingKey::Public(key.public_key()))
    }

    /// Adds a public key under `kid`.
    pub fn with_public_key(self, kid: impl Into<String>, key: PublicKey) -> Result<Self, KeyError> {
        let kid = kid.into();
        keys::check_key_id(&kid)?;
        self.insert(kid, VerifyingKey::Public(key))
    }

    /// Adds an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`) under `kid`.
    pub fn with_public_key_pem(self, kid: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        self.with_public_key(kid, PublicKey::from_public_key_pem(pem)?)
    }

    /// Adds one public JWK (JSON text); it must carry a `kid`.
    pub fn with_jwk(self, jwk: &str) -> Result<Self, KeyError> {
        let (kid, key) = keys::key_from_jwk_json(jwk)?;
        self.insert(kid, VerifyingKey::Public(key))
    }

    /// Adds every key of a JWKS document. The whole document is refused if
    /// any key is private, symmetric, weak or unsupported, or if two keys
    /// share a `kid`.
    pub fn with_jwks(mut self, jwks: &str) -> Result<Self, KeyError> {
        for (kid, key) in keys::keys_from_jwks(jwks)? {
            self = self.insert(kid, VerifyingKey::Public(key))?;
        }
        Ok(self)
    }

    /// The clock leeway for `exp`, `nbf` and `iat` (default 30 s). JWT
    /// times are whole seconds, so a fraction of a second rounds up.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = whole_seconds_up(leeway);
        self
    }

    /// The longest lifetime (`exp - iat`) accepted (default 30 days);
    /// `None` accepts any. A fraction of a second rounds up, so a limit is
    /// never tighter than asked (`999 ms` accepts a 1 s token).
    pub fn max_lifetime(mut self, max: Option<Duration>) -> Self {
        self.max_lifetime = max.map(whole_seconds_up);
        self
    }

    /// Accepts only tokens for this room.
    pub fn require_room(mut self, room_id: impl Into<String>) -> Self {
        self.room_id = Some(room_id.into());
        self
    }

    /// Whether the verifier holds a key with this id.
    pub fn has_key(&self, kid: &str) -> bool {
        self.keys.contains_key(kid)
    }

    /// Verifies `token` now; the metadata, if any, is read as JSON
    /// ([`serde_json::Value`]). To read it as a type of your own, use
    /// [`verify_with_metadata`](Self::verify_with_metadata).
    pub fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        self.verify_with_metadata(token)
    }

    /// Verifies `token` now, with metadata parsed into `M`: a token whose
    /// metadata does not fit `M` is refused (`()` refuses any metadata,
    /// `serde::de::IgnoredAny` takes any without keeping it).
    pub fn verify_with_metadata<M: DeserializeOwned>(
        &self,
        token: &str,
    ) -> Result<Claims<M>, VerifyError> {
        self.verify_at(token, unix_now())
    }

    /// Verifies `token` and narrows it to the role type `R`: the token's role
    /// must be `R::NAME` and its permissions exactly `R::PERMISSIONS`; see
    /// [`Claims::narrow`].
    pub fn verify_as<R: StaticRole>(&self, token: &str) -> Result<Peer<R>, VerifyError> {
        Ok(self.verify(token)?.narrow()?)
    }

    /// Verifies `token` as if the time were `now` (seconds since the Unix
    /// epoch), with metadata parsed into `M`.
    pub fn verify_at<M: DeserializeOwned>(
        &self,
        token: &str,
        now: u64,
    ) -> Result<Claims<M>, VerifyError> {
        let payload = self.verify_jws(token)?;
        let claims = DecodedClaims::parse(&payload)?;
        self.check_times(&claims, now)?;
        let claims = claims.into_claims::<M>()?;
        if let Some(expected) = &self.room_id {
            if claims.room_id() != expected {
                return Err(VerifyError::WrongRoom {
                    expected: expected.clone(),
                    found: claims.room_id().to_owned(),
                });
            }
        }
        Ok(claims)
    }

    /// Checks the JWS layer of `token` and returns its payload, authentic but
    /// not yet read as claims: the size limit (before any decoding), exactly
    /// three segments of canonical unpadded base64url, the header (`typ`,
    /// `crit`, `kid`, and the `alg` bound to the key that `kid` names) and
    /// the signature. [`verify`](Self::verify) runs exactly this, then checks
    /// the claims; on its own it serves to test the signature layer, for
    /// example against the Wycheproof JWS vectors.
    ///
    /// ```
    /// use huddle_auth::{AccessToken, ApiKey, TokenVerifier, VerifyError};
    ///
    /// let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
    /// let verifier = TokenVerifier::new().with_api_key(&key)?;
    /// let token = AccessToken::new(&key, "abc-defg-hij").to_jwt()?;
    /// let payload: serde_json::Value = serde_json::from_slice(&verifier.verify_jws(&token)?)?;
    /// assert_eq!(payload["roomId"], "abc-defg-hij");
    ///
    /// let forged = format!("{}A", token.trim_end_matches(|c| c != '.'));
    /// assert!(matches!(verifier.verify_jws(&forged), Err(VerifyError::Malformed { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_jws(&self, token: &str) -> Result<Vec<u8>, VerifyError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TooLarge {
                bytes: token.len(),
                limit: MAX_TOKEN_BYTES,
            });
        }
        let (header_b64, payload_b64, signature_b64) = split(token)?;
        let key = self.key_for(header_b64)?;

        let signature = decode_segment("signature", signature_b64)?;
        let signing_input = &token.as_bytes()[..header_b64.len() + 1 + payload_b64.len()];
        if !key.verify(signing_input, &signature) {
            return Err(VerifyError::BadSignature);
        }
        // A JWS may sign an empty payload (RFC 7515 section 7.1); as claims
        // it is refused by `DecodedClaims::parse`.
        if payload_b64.is_empty() {
            return Ok(Vec::new());
        }
        decode_segment("payload", payload_b64)
    }

    /// Reads the header and returns the one key it may be checked with.
    ///
    /// Most tokens carry, byte for byte, the header this crate mints for one
    /// of the keys. Canonical base64url gives those bytes one decoding, which
    /// `insert` ran through [`read_header`](Self::read_header) once, so the
    /// answer is known without decoding or parsing them again.
    fn key_for(&self, header_b64: &str) -> Result<&VerifyingKey, VerifyError> {
        let minted = self.minted_headers.get(header_b64);
        match minted.and_then(|kid| self.keys.get(kid)) {
            Some(key) => Ok(key),
            None => self.read_header(header_b64),
        }
    }

    /// Decodes and checks the header: `typ`, `crit`, the `kid` of a key held,
    /// and the `alg` bound to that key.
    fn read_header(&self, header_b64: &str) -> Result<&VerifyingKey, VerifyError> {
        let header_json = decode_segment("header", header_b64)?;
        // A JSON object only (RFC 7515 section 4), never an array of members.
        let header: Header<'_> = crate::claims::objects_only::from_slice(&header_json)
            .map_err(|e| VerifyError::malformed("header", e.to_string()))?;
        if let Some(typ) = &header.typ {
            // RFC 7519 section 5.1: "JWT" is recommended, compared ignoring case.
            if !typ.eq_ignore_ascii_case("JWT") {
                return Err(VerifyError::malformed(
                    "header",
                    format!("typ {typ:?} is not \"JWT\""),
                ));
            }
        }
        if let Some(crit) = &header.crit {
            return Err(VerifyError::CriticalHeader {
                reason: describe_crit(crit),
            });
        }
        let Some(kid) = header.kid else {
            return Err(VerifyError::UnknownKey { kid: None });
        };
        let key = self
            .keys
            .get(kid.as_ref())
            .ok_or_else(|| VerifyError::UnknownKey {
                kid: Some(kid.into_owned()),
            })?;
        let expected = key.algorithm();
        if header.alg != expected.as_str() {
            return Err(VerifyError::AlgorithmNotAllowed {
                alg: header.alg.into_owned(),
                expected,
            });
        }
        Ok(key)
    }

    fn check_times(&self, claims: &DecodedClaims, now: u64) -> Result<(), VerifyError> {
        let leeway = self.leeway;
        // RFC 7519 section 4.1.4: expired "on or after" exp.
        if now >= claims.exp.saturating_add(leeway) {
            return Err(VerifyError::Expired {
                exp: claims.exp,
                now,
            });
        }
        if let Some(nbf) = claims.nbf {
            if nbf > now.saturating_add(leeway) {
                return Err(VerifyError::NotYetValid { nbf, now });
            }
        }
        if claims.iat > now.saturating_add(leeway) {
            return Err(VerifyError::IssuedInFuture {
                iat: claims.iat,
                now,
            });
        }
        if claims.exp <= claims.iat {
            return Err(VerifyError::claims("exp", "must be after iat"));
        }
        if let Some(max) = self.max_lifetime {
            let lifetime = claims.exp - claims.iat;
            if lifetime > max {
                return Err(VerifyError::LifetimeTooLong { lifetime, max });
            }
        }
        Ok(())
    }
}

/// Splits a compact JWS into exactly three segments. The outer dots are
/// searched for from each end, and the payload between them is checked for
/// another, with `memchr`'s vectorised search (`str::splitn` reads a byte or
/// a word at a time).
pub(crate) fn split(token: &str) -> Result<(&str, &str, &str), VerifyError> {
    if let Some(reason) = whitespace_mistake(token) {
        return Err(VerifyError::malformed("token", reason));
    }
    let malformed = || {
        VerifyError::malformed(
            "token",
            "a compact JWS has exactly three segments separated by '.'",
        )
    };
    let bytes = token.as_bytes();
    let first = memchr::memchr(b'.', bytes).ok_or_else(malformed)?;
    let last = memchr::memrchr(b'.', bytes).ok_or_else(malformed)?;
    let payload = token.get(first + 1..last).ok_or_else(malformed)?;
    if memchr::memchr(b'.', payload.as_bytes()).is_some() {
        return Err(malformed());
    }
    // Both dots are ASCII, so every slice falls on a character boundary.
    match (token.get(..first), token.get(last + 1..)) {
        (Some(header), Some(signature)) => Ok((header, payload, signature)),
        _ => Err(malformed()),
    }
}

/// The usual ways a token is pasted with more than itself, named so that the
/// message says what to fix rather than which byte failed to decode. A token
/// is never trimmed here: what was signed is exactly what must be verified.
fn whitespace_mistake(token: &str) -> Option<&'static str> {
    let is_space = |b: &u8| b.is_ascii_whitespace();
    let bytes = token.as_bytes();
    let scheme = bytes
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"Bearer "));
    if scheme {
        return Some(
            "starts with \"Bearer \": pass the token alone, without the Authorization scheme",
        );
    }
    if bytes.ends_with(b"\n") {
        return Some("ends with a newline: trim the token (as read from a file or stdin)");
    }
    if bytes.first().is_some_and(is_space) || bytes.last().is_some_and(is_space) {
        return Some("has whitespace around it: trim the token");
    }
    // Every verification runs this: two vectorised searches for the five
    // ASCII whitespace bytes instead of a byte-at-a-time scan.
    if memchr::memchr3(b' ', b'\n', b'\t', bytes).is_some()
        || memchr::memchr2(b'\r', b'\x0C', bytes).is_some()
    {
        return Some("holds whitespace: a compact JWS has none");
    }
    None
}

/// A duration in whole seconds, rounded up.
pub(crate) fn whole_seconds_up(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0))
}

/// Decodes unpadded, canonical base64url (RFC 7515 section 2).
pub(crate) fn decode_segment(part: &'static str, segment: &str) -> Result<Vec<u8>, VerifyError> {
    if segment.is_empty() {
        return Err(VerifyError::malformed(part, "is empty"));
    }
    B64.decode(segment)
        .map_err(|e| VerifyError::malformed(part, format!("is not unpadded base64url: {e}")))
}

fn describe_crit(crit: &serde_json::Value) -> String {
    let Some(names) = crit.as_array() else {
        return "must be an array of header names".to_owned();
    };
    if names.is_empty() {
        return "must not be empty (RFC 7515 section 4.1.11)".to_owned();
    }
    match names
        .iter()
        .filter_map(serde_json::Value::as_str)
        .find(|n| REGISTERED_HEADERS.contains(n))
    {
        Some(name) => format!("names the registered header {name:?}, which is not allowed"),
        None => format!("lists extensions this verifier does not understand: {crit}"),
    }
}
