//! Minting: the `AccessToken` builder, in the spirit of the SDK's
//! `new AccessToken({...}).toJwt()`.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use rand::RngCore as _;
use serde::Serialize;

use crate::claims::{WireClaims, WireOptions};
use crate::keys::{append_base64, TokenSigner, B64};
use crate::verify::DEFAULT_MAX_LIFETIME;
use crate::{CustomRole, IntoRole, MintError, Permissions, PermissionsPatch, Ttl};
use huddle_auth_core::rules;

/// A token being built: one peer, one room, one role.
///
/// ```
/// use huddle_auth::{AccessToken, ApiKey, Role, TokenVerifier};
///
/// let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
/// let token = AccessToken::new(&key, "abc-defg-hij")
///     .role(Role::Host)
///     .metadata(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
///     .ttl("4h")
///     .to_jwt()?;
///
/// let claims = TokenVerifier::new().with_api_key(&key)?.verify(&token)?;
/// assert_eq!(claims.role(), Some("host"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a token is only made by `to_jwt`"]
pub struct AccessToken<'k> {
    key: &'k dyn TokenSigner,
    // Borrowed when given a `&str`: building a token copies no text.
    room_id: Cow<'k, str>,
    role: Option<CustomRole>,
    overrides: PermissionsPatch,
    metadata: Option<Result<String, String>>,
    ttl: Ttl,
    max_peers_allowed: Option<u64>,
    display_name: Option<Cow<'k, str>>,
    peer_id: Option<Cow<'k, str>>,
    max_lifetime: Option<u64>,
}

impl std::fmt::Debug for dyn TokenSigner + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("kid", &self.key_id())
            .field("alg", &self.algorithm())
            .finish()
    }
}

impl<'k> AccessToken<'k> {
    /// Starts a token for `room_id`, signed by `key` (an [`ApiKey`](crate::ApiKey)
    /// or a [`PrivateKey`](crate::PrivateKey)). Without a role the token
    /// carries the default permissions and no `role` claim, as the SDK does.
    pub fn new(key: &'k dyn TokenSigner, room_id: impl Into<Cow<'k, str>>) -> Self {
        AccessToken {
            key,
            room_id: room_id.into(),
            role: None,
            overrides: PermissionsPatch::default(),
            metadata: None,
            ttl: Ttl::DEFAULT,
            max_peers_allowed: None,
            display_name: None,
            peer_id: None,
            max_lifetime: Some(DEFAULT_MAX_LIFETIME.as_secs()),
        }
    }

    /// The role: a predefined [`Role`](crate::Role), a [`StaticRole`](crate::StaticRole)
    /// type such as one declared with [`role!`](crate::role!), or a
    /// [`CustomRole`](crate::CustomRole).
    pub fn role(mut self, role: impl IntoRole) -> Self {
        self.role = Some(role.into_role());
        self
    }

    /// Permission overrides, merged over the role's permissions; rules 1
    /// and 2 are checked on the result.
    pub fn permissions(mut self, overrides: PermissionsPatch) -> Self {
        self.overrides = overrides;
        self
    }

    /// Metadata, any `Serialize` value; at most 5120 bytes as JSON (rule 4).
    /// It travels as a JSON string, as the SDK sends it.
    pub fn metadata<T: Serialize + ?Sized>(mut self, metadata: &T) -> Self {
        self.metadata = Some(serde_json::to_string(metadata).map_err(|e| e.to_string()));
        self
    }

    /// The time to live: seconds, a `Duration`, or a string such as `"4h"`,
    /// `"7d"`, `"2 days"`, `"90m"`. Default 4 hours.
    pub fn ttl(mut self, ttl: impl Into<Ttl>) -> Self {
        self.ttl = ttl.into();
        self
    }

    /// `options.maxPeersAllowed`, a positive integer (rule 5).
    pub fn max_peers_allowed(mut self, max_peers: u64) -> Self {
        self.max_peers_allowed = Some(max_peers);
        self
    }

    /// The peer's display name.
    pub fn display_name(mut self, name: impl Into<Cow<'k, str>>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// The longest TTL this builder mints, by default
    /// [`DEFAULT_MAX_LIFETIME`] (30 days): the lifetime that a default
    /// [`TokenVerifier`](crate::TokenVerifier) accepts, so that a token that
    /// mints also verifies. `None` mints any TTL; the verifiers of such
    /// tokens then need a matching
    /// [`TokenVerifier::max_lifetime`](crate::TokenVerifier::max_lifetime).
    pub fn max_lifetime(mut self, max: Option<Duration>) -> Self {
        // Rounded up, as the verifier rounds it: a limit is never tighter than asked.
        self.max_lifetime = max.map(crate::verify::whole_seconds_up);
        self
    }

    /// The peer id; by default a fresh random one (`peer_…`).
    pub fn peer_id(mut self, peer_id: impl Into<Cow<'k, str>>) -> Self {
        self.peer_id = Some(peer_id.into());
        self
    }

    /// The permissions the token will carry: the role's (or the default
    /// ones), with the overrides merged over them, checked by rules 1 and 2.
    pub fn effective_permissions(&self) -> Result<Permissions, MintError> {
        let base = self
            .role
            .as_ref()
            .map_or(Permissions::DEFAULT, CustomRole::permissions);
        let permissions = self.overrides.apply(base);
        rules::check_permissions(&permissions)?;
        Ok(permissions)
    }

    /// Signs the token, issued now.
    pub fn to_jwt(&self) -> Result<String, MintError> {
        self.to_jwt_at(unix_now())
    }

    /// Signs the token as if issued at `now` (seconds since the Unix epoch).
    pub fn to_jwt_at(&self, now: u64) -> Result<String, MintError> {
        rules::check_text_claim("roomId", &self.room_id)?;
        if let Some(peer_id) = &self.peer_id {
            rules::check_text_claim("peerId", peer_id)?;
        }
        if let Some(name) = &self.display_name {
            rules::check_text_claim("displayName", name)?;
        }
        if let Some(role) = &self.role {
            rules::check_role_name(role.name())?;
        }
        let permissions = self.effective_permissions()?;
        let metadata = match &self.metadata {
            Some(Ok(json)) => {
                rules::check_metadata_len(json.len())?;
                Some(json.as_str())
            }
            Some(Err(reason)) => {
                return Err(MintError::invalid(
                    "metadata",
                    format!("cannot be serialized as JSON: {reason}"),
                ))
            }
            None => None,
        };
        if let Some(max_peers) = self.max_peers_allowed {
            rules::check_max_peers(max_peers)?;
        }
        let ttl = self.ttl.seconds()?;
        if let Some(max) = self.max_lifetime {
            if ttl > max {
                return Err(MintError::invalid(
                    "ttl",
                    format!(
                        "{ttl} s is over the maximum lifetime of {max} s that verifiers accept by \
                         default; shorten it, or raise the limit on both sides \
                         (AccessToken::max_lifetime and TokenVerifier::max_lifetime)"
                    ),
                ));
            }
        }
        let exp = now
            .checked_add(ttl)
            .ok_or_else(|| MintError::invalid("ttl", "is too long: the expiry overflows"))?;

        let mut random = [0u8; 28];
        rand::thread_rng().fill_bytes(&mut random);
        let mut jti = [0u8; 22];
        let jti = encode_id(&random[..16], &mut jti)?;
        let generated_peer_id;
        let peer_id = match &self.peer_id {
            Some(peer_id) => peer_id.as_ref(),
            None => {
                generated_peer_id = format!("peer_{}", B64.encode(&random[16..]));
                &generated_peer_id
            }
        };

        let claims = WireClaims {
            room_id: &self.room_id,
            peer_id,
            project_id: self.key.key_id(),
            role: self.role.as_ref().map(CustomRole::name),
            permissions: &permissions,
            metadata,
            display_name: self.display_name.as_deref(),
            options: self.max_peers_allowed.map(|max| WireOptions {
                max_peers_allowed: Some(max),
            }),
            iat: now,
            nbf: Some(now),
            exp,
            jti: Some(jti),
        };
        sign(self.key, &claims)
    }
}

/// Encodes and signs `claims` under the key's prepared header: one
/// serialization, one base64 pass, one signature, one output buffer.
pub(crate) fn sign(key: &dyn TokenSigner, claims: &impl Serialize) -> Result<String, MintError> {
    let signing = |reason| MintError::Signing { reason };
    let mut payload = Vec::with_capacity(512);
    serde_json::to_writer(&mut payload, claims)
        .map_err(|e| signing(format!("claims could not be serialized: {e}")))?;
    let header = key.header_segment();
    let mut token = Vec::with_capacity(header.len() + payload.len() * 4 / 3 + 350);
    token.extend_from_slice(header.as_bytes());
    token.push(b'.');
    append_base64(&mut token, &payload).map_err(signing)?;
    key.append_signature(&mut token).map_err(signing)?;
    // Always ASCII: a base64url header, payload and signature.
    String::from_utf8(token).map_err(|e| signing(e.to_string()))
}

/// Base64url of `bytes`, written into `buf` so that the `jti` costs no
/// allocation.
fn encode_id<'b>(bytes: &[u8], buf: &'b mut [u8]) -> Result<&'b str, MintError> {
    let failed = || MintError::Signing {
        reason: "the token id does not fit its buffer".to_owned(),
    };
    let len = B64.encode_slice(bytes, buf).map_err(|_| failed())?;
    buf.get(..len)
        .and_then(|id| std::str::from_utf8(id).ok())
        .ok_or_else(failed)
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
