//! The one claims validator: times, the rules, the room. The verifier runs
//! it on every token after the signature has been checked.

use serde::de::DeserializeOwned;

use super::{Claims, DecodedClaims};
use crate::VerifyError;
use huddle_auth_core::rules;

/// What the claims of a token must satisfy besides the rules.
#[derive(Debug, Clone)]
pub(crate) struct Validation {
    /// Clock leeway, in seconds.
    pub(crate) leeway: u64,
    /// The longest `exp - iat` accepted, in seconds.
    pub(crate) max_lifetime: Option<u64>,
    /// The room a token must be for.
    pub(crate) room_id: Option<String>,
}

impl Validation {
    /// Checks the times, then rules 1 to 5 and the text claims, parses the
    /// metadata into `M`, then checks the room.
    pub(crate) fn validate<M: DeserializeOwned>(
        &self,
        claims: DecodedClaims,
        now: u64,
    ) -> Result<Claims<M>, VerifyError> {
        self.check_times(&claims, now)?;
        check_rules(&claims)?;
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

/// Rules 1 to 5 and the text claims.
fn check_rules(claims: &DecodedClaims) -> Result<(), VerifyError> {
    let rule = |v: rules::RuleViolation| VerifyError::claims(v.field(), v.to_string());
    rules::check_text_claim("roomId", &claims.room_id).map_err(rule)?;
    rules::check_text_claim("peerId", &claims.peer_id).map_err(rule)?;
    if let Some(name) = &claims.display_name {
        rules::check_text_claim("displayName", name).map_err(rule)?;
    }
    if claims.project_id.as_deref() == Some("") {
        return Err(VerifyError::claims("projectId", "must not be empty"));
    }
    rules::check_permissions(&claims.permissions).map_err(rule)?;
    if let Some(role) = &claims.role {
        rules::check_role_name(role).map_err(rule)?;
    }
    if let Some(max_peers) = claims.options.and_then(|o| o.max_peers_allowed) {
        rules::check_max_peers(max_peers).map_err(rule)?;
    }
    if let Some(json) = &claims.metadata {
        rules::check_metadata_len(json.len()).map_err(rule)?;
    }
    Ok(())
}
