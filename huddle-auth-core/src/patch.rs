//! Partial permissions merged over a role's: the SDK's permission overrides,
//! and what `role!` builds from the keys an item names.

use crate::permissions::{Permissions, ProduceSources, Source};

/// Sources to change in `canProduceSources`; `None` keeps the base's value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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

    /// The base with every named source replaced.
    pub const fn apply(&self, mut base: ProduceSources) -> ProduceSources {
        if let Some(cam) = self.cam {
            base.cam = cam;
        }
        if let Some(mic) = self.mic {
            base.mic = mic;
        }
        if let Some(screen) = self.screen {
            base.screen = screen;
        }
        base
    }
}

/// Permission overrides: every key is optional and replaces the base's value
/// when given. Deserializes from the same camelCase keys as [`Permissions`],
/// refusing unknown keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
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
    /// The base with every given key replaced. Rules 1 and 2 are checked on
    /// the result by the caller, since only the merged permissions matter.
    pub const fn apply(&self, base: Permissions) -> Permissions {
        Permissions {
            admin: or(self.admin, base.admin),
            can_consume: or(self.can_consume, base.can_consume),
            can_produce: or(self.can_produce, base.can_produce),
            can_produce_sources: self.can_produce_sources.apply(base.can_produce_sources),
            can_send_data: or(self.can_send_data, base.can_send_data),
            can_recv_data: or(self.can_recv_data, base.can_recv_data),
            can_update_metadata: or(self.can_update_metadata, base.can_update_metadata),
        }
    }
}

const fn or(value: Option<bool>, base: bool) -> bool {
    match value {
        Some(v) => v,
        None => base,
    }
}
