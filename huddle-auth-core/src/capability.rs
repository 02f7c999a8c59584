//! Capabilities: one per marker trait in `huddle_auth::can`, so code can
//! demand a permission in a type signature.

use crate::permissions::{Permissions, Source};

/// A single capability a role may grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// `admin`.
    Admin,
    /// `canConsume`.
    Consume,
    /// `canProduce`.
    Produce,
    /// `canProduce` and `canProduceSources.cam`.
    ProduceCam,
    /// `canProduce` and `canProduceSources.mic`.
    ProduceMic,
    /// `canProduce` and `canProduceSources.screen`.
    ProduceScreen,
    /// `canSendData`.
    SendData,
    /// `canRecvData`.
    RecvData,
    /// `canUpdateMetadata`.
    UpdateMetadata,
}

impl Capability {
    /// Every capability, in the order of the marker traits.
    pub const ALL: [Capability; 9] = [
        Capability::Admin,
        Capability::Consume,
        Capability::Produce,
        Capability::ProduceCam,
        Capability::ProduceMic,
        Capability::ProduceScreen,
        Capability::SendData,
        Capability::RecvData,
        Capability::UpdateMetadata,
    ];

    /// The name of the marker trait in `huddle_auth::can`.
    pub const fn trait_name(self) -> &'static str {
        match self {
            Capability::Admin => "Admin",
            Capability::Consume => "Consume",
            Capability::Produce => "Produce",
            Capability::ProduceCam => "ProduceCam",
            Capability::ProduceMic => "ProduceMic",
            Capability::ProduceScreen => "ProduceScreen",
            Capability::SendData => "SendData",
            Capability::RecvData => "RecvData",
            Capability::UpdateMetadata => "UpdateMetadata",
        }
    }

    /// Whether `permissions` grant this capability.
    pub const fn granted_by(self, permissions: &Permissions) -> bool {
        let p = permissions;
        match self {
            Capability::Admin => p.admin,
            Capability::Consume => p.can_consume,
            Capability::Produce => p.can_produce,
            Capability::ProduceCam => p.can_produce && p.can_produce_sources.get(Source::Cam),
            Capability::ProduceMic => p.can_produce && p.can_produce_sources.get(Source::Mic),
            Capability::ProduceScreen => p.can_produce && p.can_produce_sources.get(Source::Screen),
            Capability::SendData => p.can_send_data,
            Capability::RecvData => p.can_recv_data,
            Capability::UpdateMetadata => p.can_update_metadata,
        }
    }
}
