//! Capabilities: one per marker trait in `huddle_auth::can`, so code can
//! demand a permission in a type signature.

use crate::flag::Flag;
use crate::permissions::Permissions;

/// A single capability a role may grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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

    /// The flags this capability needs, every one of them `true`.
    pub const fn flags(self) -> &'static [Flag] {
        match self {
            Capability::Admin => &[Flag::Admin],
            Capability::Consume => &[Flag::CanConsume],
            Capability::Produce => &[Flag::CanProduce],
            Capability::ProduceCam => &[Flag::CanProduce, Flag::Cam],
            Capability::ProduceMic => &[Flag::CanProduce, Flag::Mic],
            Capability::ProduceScreen => &[Flag::CanProduce, Flag::Screen],
            Capability::SendData => &[Flag::CanSendData],
            Capability::RecvData => &[Flag::CanRecvData],
            Capability::UpdateMetadata => &[Flag::CanUpdateMetadata],
        }
    }

    /// Whether `permissions` grant this capability.
    pub fn granted_by(self, permissions: &Permissions) -> bool {
        self.flags().iter().all(|flag| flag.get(permissions))
    }
}
