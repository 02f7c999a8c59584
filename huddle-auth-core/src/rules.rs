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

/// The longest `roomId`, `peerId` or `displayName`, in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 256;

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
    /// `roomId` or `peerId` is empty.
    TextEmpty {
        /// The claim at fault (`roomId`, `peerId`).
        field: &'static str,
    },
    /// `roomId`, `peerId` or `displayName` is over [`MAX_IDENTIFIER_BYTES`].
    TextTooLong {
        /// The claim at fault.
        field: &'static str,
        /// Its length in bytes.
        bytes: usize,
    },
    /// `roomId`, `peerId` or `displayName` holds a control character, which
    /// could rewrite a log line or a terminal (ANSI escapes, newlines).
    TextControlCharacter {
        /// The claim at fault.
        field: &'static str,
        /// The character at fault.
        character: char,
    },
}

impl RuleViolation {
    /// The number of the rule: 1 to 6 as in DESIGN section 3, and 7 for the
    /// text claims (`roomId`, `peerId`, `displayName`).
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
            RuleViolation::TextEmpty { .. }
            | RuleViolation::TextTooLong { .. }
            | RuleViolation::TextControlCharacter { .. } => 7,
        }
    }

    /// The claim at fault, as its dotted path in the token's claims
    /// (`permissions.canProduceSources.cam`, `options.maxPeersAllowed`): the
    /// same path whether the rule is broken at mint time or at verify time.
    /// `ttl` is the builder's input that becomes `exp`.
    pub const fn field(&self) -> &'static str {
        match self {
            RuleViolation::SourceWithoutProduce { source } => match source {
                Source::Cam => "permissions.canProduceSources.cam",
                Source::Mic => "permissions.canProduceSources.mic",
                Source::Screen => "permissions.canProduceSources.screen",
            },
            RuleViolation::ProduceWithoutSource => "permissions.canProduce",
            RuleViolation::RoleNameEmpty
            | RuleViolation::RoleNameTooLong { .. }
            | RuleViolation::RoleNameCharacter { .. }
            | RuleViolation::RoleNamePredefined { .. } => "role",
            RuleViolation::MetadataTooLarge { .. } => "metadata",
            RuleViolation::MaxPeersNotPositive => "options.maxPeersAllowed",
            RuleViolation::TtlNotPositive => "ttl",
            RuleViolation::TextEmpty { field }
            | RuleViolation::TextTooLong { field, .. }
            | RuleViolation::TextControlCharacter { field, .. } => field,
        }
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Shown after the field's path (`permissions.canProduceSources.cam: …`);
            // `sentence` adds the subject where no path stands before it.
            RuleViolation::SourceWithoutProduce { source } => write!(
                f,
                "is true while `canProduce` is false; set `canProduce: true` or `{source}: false`"
            ),
            RuleViolation::ProduceWithoutSource => f.write_str(
                "is true but every source in `canProduceSources` is false, so nothing can be \
                 published; allow `cam`, `mic` or `screen`, or set `canProduce: false`",
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
            // The messages below are shown after the field's path (`metadata: …`),
            // so they do not name the field again.
            RuleViolation::MetadataTooLarge { bytes } => write!(
                f,
                "{bytes} bytes of JSON, over the limit of {MAX_METADATA_BYTES}"
            ),
            RuleViolation::MaxPeersNotPositive => f.write_str("must be a positive integer"),
            RuleViolation::TtlNotPositive => f.write_str("must be positive"),
            RuleViolation::TextEmpty { .. } => f.write_str("must not be empty"),
            RuleViolation::TextTooLong { bytes, .. } => write!(
                f,
                "is {bytes} bytes, over the limit of {MAX_IDENTIFIER_BYTES}"
            ),
            RuleViolation::TextControlCharacter { character, .. } => {
                write!(f, "must not hold the control character {character:?}")
            }
        }
    }
}

impl RuleViolation {
    /// The message as a sentence of its own, naming the permission it is
    /// about, for places that show no field path before it (the errors of
    /// `role!`, at the token at fault). [`Display`](fmt::Display) leaves the
    /// subject out, since errors print the field's path before it.
    pub fn sentence(&self) -> String {
        match self {
            RuleViolation::SourceWithoutProduce { source } => {
                format!("`canProduceSources.{source}` {self}")
            }
            RuleViolation::ProduceWithoutSource => format!("`canProduce` {self}"),
            _ => self.to_string(),
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

/// The text claims `roomId` and `peerId` (never empty) and `displayName`:
/// at most [`MAX_IDENTIFIER_BYTES`] bytes and no control character. Called
/// by the builder before signing and by the verifier after the signature.
pub fn check_text_claim(field: &'static str, value: &str) -> Result<(), RuleViolation> {
    if value.is_empty() && field != "displayName" {
        return Err(RuleViolation::TextEmpty { field });
    }
    if value.len() > MAX_IDENTIFIER_BYTES {
        return Err(RuleViolation::TextTooLong {
            field,
            bytes: value.len(),
        });
    }
    // Printable ASCII, the usual case, holds no control character; only
    // other text is read as characters (C1 controls are two UTF-8 bytes).
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(());
    }
    match value.chars().find(|c| c.is_control()) {
        Some(character) => Err(RuleViolation::TextControlCharacter { field, character }),
        None => Ok(()),
    }
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

/// Whether a peer holding `actor_role` with `actor` permissions may change
/// another peer's role to `target_role` inside a room: only an admin may, and
/// only a `host` may make someone `host` (a `coHost` is an admin that cannot).
/// A target that is not a role a token could carry (rule 3: `"Host"`,
/// `" host"`, `"host\0"`) is refused for everyone, so no spelling of `host`
/// slips past the comparison.
pub fn may_assign_role(actor_role: Option<&str>, actor: &Permissions, target_role: &str) -> bool {
    if !actor.admin || check_role_name(target_role).is_err() {
        return false;
    }
    target_role != Role::Host.as_str() || actor_role == Some(Role::Host.as_str())
}
