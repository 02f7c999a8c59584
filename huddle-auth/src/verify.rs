//! Verifying tokens: `TokenVerifier`.

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::claims::{DecodedClaims, Validation};
use crate::jws::{verify_signature, Compact, HeaderReader};
use crate::keys::{self, KeySet, VerifyingKey};
use crate::lifetime::{unix_now, whole_seconds_up, DEFAULT_MAX_LIFETIME};
use crate::{
    ApiKey, Claims, KeyError, Peer, PrivateKey, PublicKey, SigningKey, StaticRole, TokenProfile,
    VerifyError,
};

#[cfg(feature = "hosted")]
mod remote;

#[cfg(feature = "hosted")]
pub use remote::HUDDLE01_JWKS_URL;

/// The most keys a token without a `kid` is tried against: enough for a key
/// rotation (old and new key published side by side), few enough that a
/// key set padded with keys cannot make each token cost many signature
/// checks.
pub const MAX_KIDLESS_CANDIDATES: usize = 4;

/// The default clock leeway.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(30);

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
    keys: Keys,
    headers: HeaderReader,
    validation: Validation,
}

/// Where a verifier's keys come from.
#[derive(Debug, Clone)]
enum Keys {
    /// Loaded up front: API keys, PEM and JWK files, a JWKS document.
    Held(KeySet),
    /// A JWKS at a URL, fetched and cached.
    #[cfg(feature = "hosted")]
    Remote(std::sync::Arc<crate::RemoteJwks<KeySet>>),
}

impl Default for TokenVerifier {
    fn default() -> Self {
        TokenVerifier::new()
    }
}

impl TokenVerifier {
    /// A verifier with no keys, a 30 s leeway, a 30-day maximum lifetime and
    /// no required room.
    pub fn new() -> Self {
        TokenVerifier {
            keys: Keys::Held(KeySet::new()),
            headers: HeaderReader::default(),
            validation: Validation {
                leeway: DEFAULT_LEEWAY.as_secs(),
                max_lifetime: Some(DEFAULT_MAX_LIFETIME.as_secs()),
                room_id: None,
                profile: TokenProfile::SelfSigned,
            },
        }
    }

    /// A verifier holding every key of a JWKS document.
    pub fn from_jwks(jwks: &str) -> Result<Self, KeyError> {
        TokenVerifier::new().with_jwks(jwks)
    }

    // Without the `hosted` feature `Keys` has one variant, and clippy would
    // have a `let`; with it, two.
    #[allow(clippy::infallible_destructuring_match)]
    fn insert(mut self, kid: String, key: VerifyingKey) -> Result<Self, KeyError> {
        let keys = match &mut self.keys {
            Keys::Held(keys) => keys,
            #[cfg(feature = "hosted")]
            Keys::Remote(_) => return Err(KeyError::RemoteKeySet),
        };
        keys.insert(kid.clone(), key)?;
        self.headers.remember(keys, &kid);
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

    /// Adds what verifies the tokens `key` signs: the API key itself, or the
    /// private key's public half.
    pub fn with_signing_key(self, key: &SigningKey) -> Result<Self, KeyError> {
        match key {
            SigningKey::Api(key) => self.with_api_key(key),
            SigningKey::Private(key) => self.with_private_key(key),
        }
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
        self.validation.leeway = whole_seconds_up(leeway);
        self
    }

    /// The longest lifetime (`exp - iat`) accepted (default 30 days);
    /// `None` accepts any. A fraction of a second rounds up, so a limit is
    /// never tighter than asked (`999 ms` accepts a 1 s token).
    pub fn max_lifetime(mut self, max: Option<Duration>) -> Self {
        self.validation.max_lifetime = max.map(whole_seconds_up);
        self
    }

    /// Accepts only tokens for this room.
    pub fn require_room(mut self, room_id: impl Into<String>) -> Self {
        self.validation.room_id = Some(room_id.into());
        self
    }

    /// Which kind of token to accept (default
    /// [`TokenProfile::SelfSigned`]); `TokenVerifier::huddle01` (feature `hosted`) sets
    /// [`TokenProfile::Huddle01`].
    pub fn profile(mut self, profile: TokenProfile) -> Self {
        self.validation.profile = profile;
        self
    }

    /// The profile in force.
    pub fn token_profile(&self) -> TokenProfile {
        self.validation.profile
    }

    /// Whether the verifier holds a key with this id. For keys from a
    /// remote JWKS, whether the cached set, while fresh, has it (nothing is
    /// fetched).
    pub fn has_key(&self, kid: &str) -> bool {
        match &self.keys {
            Keys::Held(keys) => keys.contains(kid),
            #[cfg(feature = "hosted")]
            Keys::Remote(jwks) => jwks.cached_fresh().is_some_and(|keys| keys.contains(kid)),
        }
    }

    /// Verifies `token` now; the metadata, if any, is read as JSON
    /// ([`serde_json::Value`]). To read it as a type of your own, use
    /// [`verify_with_metadata`](Self::verify_with_metadata).
    ///
    /// With keys from a remote JWKS, this synchronous call never fetches: it
    /// uses the cached set while fresh and refuses the token with
    /// [`VerifyError::KeysUnavailable`] otherwise. Servers use
    /// [`verify_async`](Self::verify_async), which fetches as needed.
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
        self.validate(&payload, now)
    }

    /// Verifies `token` now, fetching the remote key set if it is due (see
    /// `RemoteJwks`, feature `hosted`); with keys held up front it is
    /// [`verify`](Self::verify). The metadata is read as JSON.
    pub async fn verify_async(&self, token: &str) -> Result<Claims, VerifyError> {
        self.verify_with_metadata_async(token).await
    }

    /// [`verify_async`](Self::verify_async), with metadata parsed into `M`
    /// as [`verify_with_metadata`](Self::verify_with_metadata) does.
    pub async fn verify_with_metadata_async<M: DeserializeOwned>(
        &self,
        token: &str,
    ) -> Result<Claims<M>, VerifyError> {
        let payload = self.verify_jws_async(token).await?;
        self.validate(&payload, unix_now())
    }

    /// [`verify_async`](Self::verify_async), narrowed to the role type `R`
    /// as [`verify_as`](Self::verify_as) does.
    pub async fn verify_as_async<R: StaticRole>(
        &self,
        token: &str,
    ) -> Result<Peer<R>, VerifyError> {
        Ok(self.verify_async(token).await?.narrow()?)
    }

    fn validate<M: DeserializeOwned>(
        &self,
        payload: &[u8],
        now: u64,
    ) -> Result<Claims<M>, VerifyError> {
        self.validation
            .validate(DecodedClaims::parse(payload)?, now)
    }

    async fn verify_jws_async(&self, token: &str) -> Result<Vec<u8>, VerifyError> {
        match &self.keys {
            Keys::Held(_) => self.verify_jws(token),
            #[cfg(feature = "hosted")]
            Keys::Remote(jwks) => self.verify_jws_remote(jwks, token).await,
        }
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
        let jws = Compact::parse(token)?;
        match &self.keys {
            Keys::Held(keys) => self.signed_by(&jws, keys),
            #[cfg(feature = "hosted")]
            Keys::Remote(jwks) => {
                let keys = jwks
                    .cached_fresh()
                    .ok_or_else(|| VerifyError::KeysUnavailable {
                        reason: "no fresh key set is cached, and a synchronous verify never \
                             fetches one: use verify_async"
                            .to_owned(),
                    })?;
                self.signed_by(&jws, &keys)
            }
        }
    }

    /// Checks the signature of `jws` against the keys of `keys` that its
    /// header allows. The header memo holds only keys added to a held set,
    /// so for a remote set it always falls through to reading the header.
    fn signed_by(&self, jws: &Compact<'_>, keys: &KeySet) -> Result<Vec<u8>, VerifyError> {
        let kid_optional = self.validation.profile.kid_optional();
        let keys = self.headers.keys_for(keys, jws.header, kid_optional)?;
        verify_signature(jws, first_candidates(keys))
    }
}

/// The keys a token is tried against, in the order the set holds them.
pub(crate) fn first_candidates(keys: &[VerifyingKey]) -> &[VerifyingKey] {
    &keys[..keys.len().min(MAX_KIDLESS_CANDIDATES)]
}
