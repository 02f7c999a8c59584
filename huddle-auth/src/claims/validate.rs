//! The one claims validator: times, the rules, the issuer, the room. The
//! verifier runs it on every token after the signature has been checked;
//! minting runs its rules ([`check_rules`]) on every token before signing.

use serde::de::DeserializeOwned;

use super::{effective, Claims, DecodedClaims, TokenProfile};
use crate::{Permissions, VerifyError};
use huddle_auth_core::rules::{self, RuleViolation};

/// What the claims of a token must satisfy besides the rules.
#[derive(Debug, Clone)]
pub(crate) struct Validation {
    /// Clock leeway, in seconds.
    pub(crate) leeway: u64,
    /// The longest `exp - iat` accepted, in seconds.
    pub(crate) max_lifetime: Option<u64>,
    /// The room a token must be for.
    pub(crate) room_id: Option<String>,
    /// Who issued the tokens, and so which checks apply.
    pub(crate) profile: TokenProfile,
}

/// The claims the rules read, whether a token is being minted or verified,
/// named by their claim paths in both cases.
pub(crate) struct RuleInput<'a> {
    pub(crate) room_id: &'a str,
    /// `None` while minting a token whose peer id is yet to be generated.
    pub(crate) peer_id: Option<&'a str>,
    pub(crate) display_name: Option<&'a str>,
    pub(crate) role: Option<&'a str>,
    /// `None` when the permissions are not held to rules 1 and 2 as written.
    pub(crate) permissions: Option<&'a Permissions>,
    pub(crate) max_peers_allowed: Option<u64>,
    pub(crate) metadata: Option<&'a str>,
    pub(crate) purpose: Option<&'a str>,
    pub(crate) issuer: Option<&'a str>,
}

/// The text claims, the role name (rule 3), rules 1 and 2 on the
/// permissions, `options.maxPeersAllowed` (rule 5) and the metadata's size
/// (rule 4): the one place these apply, to minted and to verified tokens.
pub(crate) fn check_rules(claims: &RuleInput<'_>) -> Result<(), RuleViolation> {
    rules::check_text_claim("roomId", claims.room_id)?;
    let texts = [
        ("peerId", claims.peer_id),
        ("displayName", claims.display_name),
        ("purpose", claims.purpose),
        ("iss", claims.issuer),
    ];
    for (field, text) in texts {
        if let Some(text) = text {
            rules::check_text_claim(field, text)?;
        }
    }
    if let Some(role) = claims.role {
        rules::check_role_name(role)?;
    }
    if let Some(permissions) = claims.permissions {
        rules::check_permissions(permissions)?;
    }
    if let Some(max_peers) = claims.max_peers_allowed {
        rules::check_max_peers(max_peers)?;
    }
    if let Some(json) = claims.metadata {
        rules::check_metadata_len(json.len())?;
    }
    Ok(())
}

impl Validation {
    /// Checks the times, the issuer, then the rules and the text claims,
    /// parses the metadata into `M`, then checks the room.
    pub(crate) fn validate<M: DeserializeOwned>(
        &self,
        mut claims: DecodedClaims,
        now: u64,
    ) -> Result<Claims<M>, VerifyError> {
        self.check_times(&claims, now)?;
        if let Some(expected) = self.profile.required_issuer() {
            if claims.iss.as_deref() != Some(expected) {
                return Err(VerifyError::WrongIssuer {
                    expected,
                    found: claims.iss,
                });
            }
        }
        if claims.project_id.as_deref() == Some("") {
            return Err(VerifyError::claims("projectId", "must not be empty"));
        }
        let as_written = self.profile.permissions_as_written();
        check_rules(&RuleInput {
            room_id: &claims.room_id,
            peer_id: Some(&claims.peer_id),
            display_name: claims.display_name.as_deref(),
            role: claims.role.as_deref(),
            permissions: as_written.then_some(&claims.permissions),
            max_peers_allowed: claims.options.and_then(|o| o.max_peers_allowed),
            metadata: claims.metadata.as_deref(),
            purpose: claims.purpose.as_deref(),
            issuer: claims.iss.as_deref(),
        })
        .map_err(|v| VerifyError::claims(v.field(), v.to_string()))?;
        if !as_written {
            claims.permissions = effective(claims.permissions);
        }
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
