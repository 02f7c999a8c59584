//! The role-typed view of verified claims ([`Peer`]) and the refusal that
//! hands the claims back ([`NarrowError`]).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::DeserializeOwned;

use super::Claims;
use crate::{Permissions, StaticRole, VerifyError};

/// The first permission in which `found` differs from `expected`, by its
/// wire path (`canProduceSources.cam`), with both values. Read through the
/// wire form, so the keys and their order are the serialized ones and no
/// second list of them is kept here.
pub(super) fn first_difference(
    found: &Permissions,
    expected: &Permissions,
) -> Option<(String, bool, bool)> {
    if found == expected {
        return None;
    }
    let found = serde_json::to_value(found).ok()?;
    let expected = serde_json::to_value(expected).ok()?;
    differing_flag(&found, &expected, "")
}

fn differing_flag(
    found: &serde_json::Value,
    expected: &serde_json::Value,
    prefix: &str,
) -> Option<(String, bool, bool)> {
    let (found, expected) = (found.as_object()?, expected.as_object()?);
    found.iter().find_map(|(key, value)| {
        let other = expected.get(key)?;
        match (value.as_bool(), other.as_bool()) {
            (Some(a), Some(b)) if a != b => Some((format!("{prefix}{key}"), a, b)),
            (Some(_), Some(_)) => None,
            _ => differing_flag(value, other, &format!("{prefix}{key}.")),
        }
    })
}

/// A refused [`Claims::narrow`]: why, and the claims themselves, so the
/// caller can try another role without having cloned them.
///
/// Converts into its [`VerifyError`] with `?`.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrowError<M = serde_json::Value> {
    // Boxed: a `Result<Peer<R>, NarrowError<M>>` stays small.
    pub(super) claims: Box<Claims<M>>,
    pub(super) error: VerifyError,
}

impl<M> NarrowError<M> {
    /// Why the claims did not narrow: [`VerifyError::RoleMismatch`] or
    /// [`VerifyError::PermissionMismatch`].
    pub fn error(&self) -> &VerifyError {
        &self.error
    }

    /// The claims, unchanged, to narrow to another role.
    pub fn into_claims(self) -> Claims<M> {
        *self.claims
    }

    /// The claims and the error.
    pub fn into_parts(self) -> (Claims<M>, VerifyError) {
        (*self.claims, self.error)
    }
}

impl<M> fmt::Display for NarrowError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<M: fmt::Debug> std::error::Error for NarrowError<M> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<M> From<NarrowError<M>> for VerifyError {
    fn from(refused: NarrowError<M>) -> Self {
        refused.error
    }
}

/// Verified claims narrowed to the role type `R` with [`Claims::narrow`]
/// (or [`TokenVerifier::verify_as`](crate::TokenVerifier::verify_as)).
///
/// A `Peer<R>` is a proof that the token grants exactly `R`: its role is
/// `R::NAME` and its permissions equal `R::PERMISSIONS`. Functions demand a
/// capability with a bound such as `R: can::ProduceScreen`.
///
/// The type carries the role and nothing else, so such a function takes
/// every peer of a fitting role whatever its metadata: the metadata is kept
/// as JSON ([`Claims::metadata`] gives a `serde_json::Value`) and
/// [`metadata_as`](Self::metadata_as) reads it as a type.
///
/// Dereferences to the [`Claims`].
pub struct Peer<R> {
    pub(super) claims: Claims,
    pub(super) role: PhantomData<fn() -> R>,
}

impl<R> Peer<R> {
    /// The claims, no longer typed by the role.
    pub fn into_claims(self) -> Claims {
        self.claims
    }

    /// The metadata read as `T`, or `None` if the token carries none.
    ///
    /// ```
    /// use huddle_auth::{roles::Host, AccessToken, ApiKey, Peer, Role, TokenVerifier};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Wallet {
    ///     #[serde(rename = "walletAddress")]
    ///     address: String,
    /// }
    ///
    /// let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes")?;
    /// let token = AccessToken::new(&key, "abc-defg-hij")
    ///     .role(Role::Host)
    ///     .metadata(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
    ///     .to_jwt()?;
    /// let host: Peer<Host> = TokenVerifier::new().with_api_key(&key)?.verify_as(&token)?;
    /// let wallet: Option<Wallet> = host.metadata_as()?;
    /// assert_eq!(wallet.map(|w| w.address).as_deref(), Some("mizanxali.eth"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn metadata_as<T: DeserializeOwned>(&self) -> Result<Option<T>, VerifyError> {
        self.claims
            .metadata_json()
            .map(|json| {
                serde_json::from_str(json).map_err(|e| {
                    VerifyError::claims(
                        "metadata",
                        format!("does not match the expected type: {e}"),
                    )
                })
            })
            .transpose()
    }
}

impl<R> Deref for Peer<R> {
    type Target = Claims;

    fn deref(&self) -> &Claims {
        &self.claims
    }
}

impl<R: StaticRole> fmt::Debug for Peer<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Peer")
            .field("role", &R::NAME)
            .field("claims", &self.claims)
            .finish()
    }
}

impl<R> Clone for Peer<R> {
    fn clone(&self) -> Self {
        Peer {
            claims: self.claims.clone(),
            role: PhantomData,
        }
    }
}
