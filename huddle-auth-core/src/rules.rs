//! The rules of DESIGN section 3, written once. `role!` checks them while
//! compiling, the token builders before signing, and the verifier after the
//! signature is checked.

use core::fmt;

use crate::permissions::{Permissions, Source};
use crate::role::Role;

/// The SDK's `MAX_METADATA_SIZE_BYTES`: metadata serialized as JSON is at most 5 KiB.
pub const MAX_METADATA_BYTES: usize = 5120;

/// The SDK's `MAX_CUSTOM_ROLE_NAME_CHARS`.
pub const MAX_ROLE_NAME_CHARS: usize = 20;

/// The SDK's default token lifetime, 4 hours, in seconds.
pub const DEFAULT_TTL_SECS: u64 = 4 * 60 * 60;

/// A broken rule, naming the rule, the field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleViolation {
    /// Rule 1: a source is allowed while `canProduce` is `false`. The SDK
    /// accepts this combination; this project never mints or accepts it.
    SourceWithoutProduce {
        /// The first source that is `true`.
        source: Source,
    },
    /// Rule 2: `canProduce` is `true` but no source is, so nothing can be published.
    ProduceWithoutSource,
    /// Rule 3: a custom role name is empty.
    RoleNameEmpty,
    /// Rule 3: a custom role name is longer than 20 characters.
    RoleNameTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// Rule 3: a custom role name holds a character other than ASCII letters,
    /// digits, `_` and `-`.
    RoleNameCharacter {
        /// The character at fault.
        character: char,
    },
    /// Rule 3: a custom role name equals a predefined one, ignoring case.
    RoleNamePredefined {
        /// The predefined role it collides with.
        predefined: Role,
    },
    /// Rule 4: metadata serialized as JSON is over 5120 bytes.
    MetadataTooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// Rule 5: `maxPeersAllowed` is not a positive integer.
    MaxPeersNotPositive,
    /// Rule 6: the time to live is zero.
    TtlNotPositive,
}

impl RuleViolation {
    /// The number of the rule in DESIGN section 3 (1 to 6).
    pub const fn rule(&self) -> u8 {
        match self {
            RuleViolation::SourceWithoutProduce { .. } => 1,
            RuleViolation::ProduceWithoutSource => 2,
            RuleViolation::RoleNameEmpty
            | RuleViolation::RoleNameTooLong { .. }
            | RuleViolation::RoleNameCharacter { .. }
            | RuleViolation::RoleNamePredefined { .. } => 3,
            RuleViolation::MetadataTooLarge { .. } => 4,
            RuleViolation::MaxPeersNotPositive => 5,
            RuleViolation::TtlNotPositive => 6,
        }
    }

    /// The wire field at fault, as a dotted path (`canProduceSources.cam`).
    pub const fn field(&self) -> &'static str {
        match self {
            RuleViolation::SourceWithoutProduce { source } => source.field(),
            RuleViolation::ProduceWithoutSource => "canProduce",
            RuleViolation::RoleNameEmpty
            | RuleViolation::RoleNameTooLong { .. }
            | RuleViolation::RoleNameCharacter { .. }
            | RuleViolation::RoleNamePredefined { .. } => "role",
            RuleViolation::MetadataTooLarge { .. } => "metadata",
            RuleViolation::MaxPeersNotPositive => "maxPeersAllowed",
            RuleViolation::TtlNotPositive => "ttl",
        }
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleViolation::SourceWithoutProduce { source } => write!(
                f,
                "`canProduceSources.{source}` is true while `canProduce` is false; \
                 set `canProduce: true` or `{source}: false`"
            ),
            RuleViolation::ProduceWithoutSource => f.write_str(
                "`canProduce` is true but every source in `canProduceSources` is false, \
                 so nothing can be published; allow `cam`, `mic` or `screen`, or set `canProduce: false`",
            ),
            RuleViolation::RoleNameEmpty => f.write_str("a role name must not be empty"),
            RuleViolation::RoleNameTooLong { chars } => write!(
                f,
                "a custom role name is at most {MAX_ROLE_NAME_CHARS} characters, this one has {chars}"
            ),
            RuleViolation::RoleNameCharacter { character } => write!(
                f,
                "a custom role name may hold only ASCII letters, digits, `_` and `-`, not {character:?}"
            ),
            RuleViolation::RoleNamePredefined { predefined } => write!(
                f,
                "a custom role name must differ from the predefined role `{predefined}` (compared ignoring case); \
                 use the predefined role or choose another name"
            ),
            RuleViolation::MetadataTooLarge { bytes } => write!(
                f,
                "metadata is {bytes} bytes of JSON, the limit is {MAX_METADATA_BYTES}"
            ),
            RuleViolation::MaxPeersNotPositive => {
                f.write_str("`maxPeersAllowed` must be a positive integer")
            }
            RuleViolation::TtlNotPositive => f.write_str("the time to live must be positive"),
        }
    }
}

impl std::error::Error for RuleViolation {}

/// Rules 1 and 2: sources only with `canProduce`, and `canProduce` only with a source.
pub const fn check_permissions(permissions: &Permissions) -> Result<(), RuleViolation> {
    let sources = &permissions.can_produce_sources;
    if !permissions.can_produce {
        return match sources.first_allowed() {
            Some(source) => Err(RuleViolation::SourceWithoutProduce { source }),
            None => Ok(()),
        };
    }
    if !sources.any() {
        return Err(RuleViolation::ProduceWithoutSource);
    }
    Ok(())
}

/// Rule 3: a custom role name is 1 to 20 ASCII letters, digits, `_` or `-`,
/// and is not a predefined role name in any letter case.
pub fn check_custom_role_name(name: &str) -> Result<(), RuleViolation> {
    if name.is_empty() {
        return Err(RuleViolation::RoleNameEmpty);
    }
    if let Some(character) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(RuleViolation::RoleNameCharacter { character });
    }
    // Only ASCII is left, so bytes and characters agree.
    if name.len() > MAX_ROLE_NAME_CHARS {
        return Err(RuleViolation::RoleNameTooLong { chars: name.len() });
    }
    if let Some(predefined) = Role::ALL
        .into_iter()
        .find(|role| role.as_str().eq_ignore_ascii_case(name))
    {
        return Err(RuleViolation::RoleNamePredefined { predefined });
    }
    Ok(())
}

/// Rule 3 for a role a token carries: a predefined wire name (exact case),
/// or else a valid custom name.
pub fn check_role_name(name: &str) -> Result<(), RuleViolation> {
    if Role::from_wire(name).is_some() {
        return Ok(());
    }
    check_custom_role_name(name)
}

/// Rule 4: metadata serialized as JSON is at most [`MAX_METADATA_BYTES`].
pub const fn check_metadata_len(bytes: usize) -> Result<(), RuleViolation> {
    if bytes > MAX_METADATA_BYTES {
        Err(RuleViolation::MetadataTooLarge { bytes })
    } else {
        Ok(())
    }
}

/// Rule 5: `maxPeersAllowed`, when given, is positive.
pub const fn check_max_peers(max_peers: u64) -> Result<(), RuleViolation> {
    if max_peers == 0 {
        Err(RuleViolation::MaxPeersNotPositive)
    } else {
        Ok(())
    }
}

/// Rule 6: the time to live is positive.
pub const fn check_ttl_secs(secs: u64) -> Result<(), RuleViolation> {
    if secs == 0 {
        Err(RuleViolation::TtlNotPositive)
    } else {
        Ok(())
    }
}
