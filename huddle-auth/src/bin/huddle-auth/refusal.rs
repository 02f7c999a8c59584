//! A refusal of the token builder, reported under the flag of `token` that
//! gave the value at fault, for local and hosted tokens alike.

use huddle_auth::{MintError, RuleViolation};

use crate::failure::Failure;

/// A refusal of the builder, under the flag that gave the value at fault
/// (the library names the claim: `roomId`, `options.maxPeersAllowed`).
pub fn mint_failure(error: MintError) -> Failure {
    match &error {
        // Rules 1 and 2 concern the permissions, which only --permissions can break.
        MintError::Rule(
            violation @ (RuleViolation::SourceWithoutProduce { .. }
            | RuleViolation::ProduceWithoutSource),
        ) => Failure::new(
            // The claim path, less the claim itself: the flag is the permissions.
            format_args!(
                "--permissions {}",
                violation
                    .field()
                    .strip_prefix("permissions.")
                    .unwrap_or(violation.field())
            ),
            violation,
        ),
        MintError::Rule(violation) => Failure::new(flag_of(violation.field()), violation),
        MintError::Invalid { field, reason, .. } => Failure::new(flag_of(field), reason),
        _ => Failure::new("token", error),
    }
}

/// The flag of `token` that sets the claim `field`.
fn flag_of(field: &str) -> &str {
    match field {
        "roomId" => "--room",
        "peerId" => "--peer-id",
        "displayName" => "--display-name",
        "metadata" => "--metadata",
        "ttl" => "--ttl",
        "role" => "--role",
        "maxPeersAllowed" | "options.maxPeersAllowed" => "--max-peers",
        other => other,
    }
}
