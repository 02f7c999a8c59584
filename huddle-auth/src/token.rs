//! Minting: the `AccessToken` builder, in the spirit of the SDK's
//! `new AccessToken({...}).toJwt()`.

use std::borrow::Cow;
use std::time::Duration;

use base64::Engine as _;
use rand::Rng as _;
use serde::Serialize;

use crate::claims::{check_rules, RoomType, RuleInput, WireClaims, WireOptions};
use crate::jws::TokenSigner;
use crate::jws::{sign, B64};
use crate::lifetime::{unix_now, whole_seconds_up, DEFAULT_MAX_LIFETIME};
use crate::{CustomRole, IntoRole, MintError, Permissions, PermissionsPatch, Ttl};
use huddle_auth_core::rules;

/// A token being built: one peer, one room, one role.
///
/// `I` is who issues it: by default a local signing key
/// ([`AccessToken::new`], then [`to_jwt`](AccessToken::to_jwt)); with the
/// `hosted` feature, Huddle01's infra (`Huddle01Client::peer_token`, then an
/// async `to_jwt`). Both check every input by the same code.
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
pub struct AccessToken<'k, I = &'k dyn TokenSigner> {
    issuer: I,
    // Borrowed when given a `&str`: building a token copies no text.
    room_id: Cow<'k, str>,
    role: Option<CustomRole>,
    overrides: PermissionsPatch,
    metadata: Option<Result<String, String>>,
    // `None` until `ttl` is called: a hosted request then sends none.
    ttl: Option<Ttl>,
    max_peers_allowed: Option<u64>,
    display_name: Option<Cow<'k, str>>,
    peer_id: Option<Cow<'k, str>>,
    max_lifetime: Option<u64>,
    room_type: Option<RoomType>,
    mute_on_entry: Option<bool>,
    video_on_entry: Option<bool>,
}

/// Every input of a token that does not depend on who signs it, checked:
/// what local signing and a hosted request both send.
#[derive(Debug)]
pub(crate) struct CheckedToken<'a> {
    pub room_id: &'a str,
    pub role: Option<&'a str>,
    pub permissions: Permissions,
    pub metadata: Option<&'a str>,
    pub max_peers_allowed: Option<u64>,
    /// The TTL in seconds: the one set, or the default.
    pub ttl: u64,
    pub display_name: Option<&'a str>,
    pub peer_id: Option<&'a str>,
    pub room_type: Option<RoomType>,
    pub mute_on_entry: Option<bool>,
    pub video_on_entry: Option<bool>,
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
        AccessToken::issued_by(key, room_id)
    }

    /// Signs the token, issued now.
    pub fn to_jwt(&self) -> Result<String, MintError> {
        self.to_jwt_at(unix_now())
    }

    /// Signs the token as if issued at `now` (seconds since the Unix epoch).
    pub fn to_jwt_at(&self, now: u64) -> Result<String, MintError> {
        let checked = self.checked()?;
        let exp = now
            .checked_add(checked.ttl)
            .ok_or_else(|| MintError::invalid("ttl", "is too long: the expiry overflows"))?;

        let mut random = [0u8; 28];
        rand::rng().fill_bytes(&mut random);
        let mut jti = [0u8; 22];
        let jti = encode_id(&random[..16], &mut jti)?;
        let generated_peer_id;
        let peer_id = match checked.peer_id {
            Some(peer_id) => peer_id,
            None => {
                generated_peer_id = format!("peer_{}", B64.encode(&random[16..]));
                &generated_peer_id
            }
        };

        let claims = WireClaims {
            room_id: checked.room_id,
            peer_id,
            project_id: self.issuer.key_id(),
            role: checked.role,
            permissions: &checked.permissions,
            metadata: checked.metadata,
            display_name: checked.display_name,
            options: checked.max_peers_allowed.map(|max| WireOptions {
                max_peers_allowed: Some(max),
            }),
            room_type: checked.room_type,
            mute_on_entry: checked.mute_on_entry,
            video_on_entry: checked.video_on_entry,
            purpose: None,
            room_info: None,
            iss: None,
            iat: now,
            nbf: Some(now),
            exp,
            jti: Some(jti),
        };
        sign(self.issuer, &claims)
    }
}

impl<'k, I> AccessToken<'k, I> {
    /// A token for `room_id` that `issuer` will issue, with every other
    /// input at its default.
    pub(crate) fn issued_by(issuer: I, room_id: impl Into<Cow<'k, str>>) -> Self {
        AccessToken {
            issuer,
            room_id: room_id.into(),
            role: None,
            overrides: PermissionsPatch::default(),
            metadata: None,
            ttl: None,
            max_peers_allowed: None,
            display_name: None,
            peer_id: None,
            max_lifetime: Some(DEFAULT_MAX_LIFETIME.as_secs()),
            room_type: None,
            mute_on_entry: None,
            video_on_entry: None,
        }
    }

    /// Who issues the token.
    #[cfg(feature = "hosted")]
    pub(crate) fn issuer(&self) -> &I {
        &self.issuer
    }

    /// Whether a TTL was set, rather than left at its default.
    #[cfg(feature = "hosted")]
    pub(crate) fn ttl_is_set(&self) -> bool {
        self.ttl.is_some()
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
    /// `"7d"`, `"2 days"`, `"90m"`. Default 4 hours. A hosted token sends
    /// it only when set, and refuses an issued token that lives longer.
    pub fn ttl(mut self, ttl: impl Into<Ttl>) -> Self {
        self.ttl = Some(ttl.into());
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
        self.max_lifetime = max.map(whole_seconds_up);
        self
    }

    /// The peer id; by default a fresh random one (`peer_…`).
    pub fn peer_id(mut self, peer_id: impl Into<Cow<'k, str>>) -> Self {
        self.peer_id = Some(peer_id.into());
        self
    }

    /// The kind of room, `roomType` (`AUDIO` or `VIDEO`).
    pub fn room_type(mut self, room_type: RoomType) -> Self {
        self.room_type = Some(room_type);
        self
    }

    /// Whether the peer enters with its microphone muted (`muteOnEntry`).
    pub fn mute_on_entry(mut self, mute: bool) -> Self {
        self.mute_on_entry = Some(mute);
        self
    }

    /// Whether the peer enters with its camera on (`videoOnEntry`).
    pub fn video_on_entry(mut self, video: bool) -> Self {
        self.video_on_entry = Some(video);
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

    /// Checks every input that does not depend on the issuer: the room,
    /// the peer id, the role's name, the permissions (rules 1 and 2), the
    /// metadata (rule 4), `maxPeersAllowed` (rule 5) and the TTL (rule 6 and
    /// the maximum lifetime). The one place these rules are applied to a
    /// token, local or hosted.
    pub(crate) fn checked(&self) -> Result<CheckedToken<'_>, MintError> {
        let permissions = self.effective_permissions()?;
        let metadata = match &self.metadata {
            Some(Ok(json)) => Some(json.as_str()),
            Some(Err(reason)) => {
                return Err(MintError::invalid(
                    "metadata",
                    format!("cannot be serialized as JSON: {reason}"),
                ))
            }
            None => None,
        };
        check_rules(&RuleInput {
            room_id: &self.room_id,
            peer_id: self.peer_id.as_deref(),
            display_name: self.display_name.as_deref(),
            role: self.role.as_ref().map(CustomRole::name),
            permissions: Some(&permissions),
            max_peers_allowed: self.max_peers_allowed,
            metadata,
            purpose: None,
            issuer: None,
        })?;
        let ttl = self.ttl.as_ref().unwrap_or(&Ttl::DEFAULT).seconds()?;
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
        Ok(CheckedToken {
            room_id: &self.room_id,
            role: self.role.as_ref().map(CustomRole::name),
            permissions,
            metadata,
            max_peers_allowed: self.max_peers_allowed,
            ttl,
            display_name: self.display_name.as_deref(),
            peer_id: self.peer_id.as_deref(),
            room_type: self.room_type,
            mute_on_entry: self.mute_on_entry,
            video_on_entry: self.video_on_entry,
        })
    }
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
