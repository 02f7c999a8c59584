//! Partial permissions merged over a role's: the SDK's permission overrides,
//! and what `role!` builds from the keys an item names.

use crate::permissions::{ProduceSources, Source};

/// Sources to change in `canProduceSources`; `None` keeps the base's value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SourcesPatch {
    /// New value for `cam`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cam: Option<bool>,
    /// New value for `mic`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub mic: Option<bool>,
    /// New value for `screen`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub screen: Option<bool>,
}

impl SourcesPatch {
    /// Sets one source.
    pub fn set(&mut self, source: Source, allowed: bool) {
        let slot = match source {
            Source::Cam => &mut self.cam,
            Source::Mic => &mut self.mic,
            Source::Screen => &mut self.screen,
        };
        *slot = Some(allowed);
    }

    /// The value given for one source, if any.
    pub const fn get(&self, source: Source) -> Option<bool> {
        match source {
            Source::Cam => self.cam,
            Source::Mic => self.mic,
            Source::Screen => self.screen,
        }
    }

    /// The base with every named source replaced.
    pub fn apply(&self, mut base: ProduceSources) -> ProduceSources {
        for source in Source::ALL {
            if let Some(allowed) = self.get(source) {
                base = base.with(source, allowed);
            }
        }
        base
    }
}

/// Permission overrides: every key is optional and replaces the base's value
/// when given. Deserializes from the same camelCase keys as [`Permissions`](crate::Permissions),
/// strictly: unknown keys, repeated keys, arrays and values other than
/// `true`/`false` are refused, naming the wire path
/// ([`PermissionsPatch::from_json`] returns that path as a value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct PermissionsPatch {
    /// New value for `admin`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub admin: Option<bool>,
    /// New value for `canConsume`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub can_consume: Option<bool>,
    /// New value for `canProduce`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub can_produce: Option<bool>,
    /// Sources to change.
    #[cfg_attr(feature = "serde", serde(default))]
    pub can_produce_sources: SourcesPatch,
    /// New value for `canSendData`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub can_send_data: Option<bool>,
    /// New value for `canRecvData`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub can_recv_data: Option<bool>,
    /// New value for `canUpdateMetadata`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub can_update_metadata: Option<bool>,
}

impl PermissionsPatch {
    /// The patch that changes nothing (`PermissionsPatch::default()`, as a constant).
    pub const EMPTY: PermissionsPatch = PermissionsPatch {
        admin: None,
        can_consume: None,
        can_produce: None,
        can_produce_sources: SourcesPatch {
            cam: None,
            mic: None,
            screen: None,
        },
        can_send_data: None,
        can_recv_data: None,
        can_update_metadata: None,
    };
}
