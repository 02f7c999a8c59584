//! Capability markers: demand a permission in a type signature.
//!
//! `role!` implements one marker per capability a role grants, so a function
//! such as `fn share_screen<R: can::ProduceScreen>(peer: &Peer<R>)` cannot be
//! called with a role that may not share its screen, and the compiler says so
//! in these words.

// `diagnostic::on_unimplemented` takes plain string literals only, so each
// marker spells out its messages.

/// The role is an admin (`admin: true`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` does not grant `admin: true`",
    label = "`{Self}` lacks the capability `can::Admin`",
    note = "grant `admin: true` in the role's `role!` item, or use a role that has it"
)]
pub trait Admin: crate::StaticRole {}

/// The role may consume other peers' tracks (`canConsume: true`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` does not grant `canConsume: true`",
    label = "`{Self}` lacks the capability `can::Consume`",
    note = "grant `canConsume: true` in the role's `role!` item, or use a role that has it"
)]
pub trait Consume: crate::StaticRole {}

/// The role may publish tracks (`canProduce: true`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` does not grant `canProduce: true`",
    label = "`{Self}` lacks the capability `can::Produce`",
    note = "grant `canProduce: true` in the role's `role!` item, or use a role that has it"
)]
pub trait Produce: crate::StaticRole {}

/// The role may publish its camera (`canProduce` and `canProduceSources.cam`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` may not publish its camera: `can::ProduceCam` needs `canProduce: true` and `canProduceSources: {{ cam: true }}`",
    label = "`{Self}` lacks the capability `can::ProduceCam`",
    note = "grant `canProduce: true` and `canProduceSources: {{ cam: true }}` in the role's `role!` item, or use a role that has it"
)]
pub trait ProduceCam: crate::StaticRole {}

/// The role may publish its microphone (`canProduce` and `canProduceSources.mic`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` may not publish its microphone: `can::ProduceMic` needs `canProduce: true` and `canProduceSources: {{ mic: true }}`",
    label = "`{Self}` lacks the capability `can::ProduceMic`",
    note = "grant `canProduce: true` and `canProduceSources: {{ mic: true }}` in the role's `role!` item, or use a role that has it"
)]
pub trait ProduceMic: crate::StaticRole {}

/// The role may share its screen (`canProduce` and `canProduceSources.screen`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` may not share its screen: `can::ProduceScreen` needs `canProduce: true` and `canProduceSources: {{ screen: true }}`",
    label = "`{Self}` lacks the capability `can::ProduceScreen`",
    note = "grant `canProduce: true` and `canProduceSources: {{ screen: true }}` in the role's `role!` item, or use a role that has it"
)]
pub trait ProduceScreen: crate::StaticRole {}

/// The role may send data messages (`canSendData: true`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` does not grant `canSendData: true`",
    label = "`{Self}` lacks the capability `can::SendData`",
    note = "grant `canSendData: true` in the role's `role!` item, or use a role that has it"
)]
pub trait SendData: crate::StaticRole {}

/// The role may receive data messages (`canRecvData: true`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` does not grant `canRecvData: true`",
    label = "`{Self}` lacks the capability `can::RecvData`",
    note = "grant `canRecvData: true` in the role's `role!` item, or use a role that has it"
)]
pub trait RecvData: crate::StaticRole {}

/// The role may update its own metadata (`canUpdateMetadata: true`).
#[diagnostic::on_unimplemented(
    message = "the role `{Self}` does not grant `canUpdateMetadata: true`",
    label = "`{Self}` lacks the capability `can::UpdateMetadata`",
    note = "grant `canUpdateMetadata: true` in the role's `role!` item, or use a role that has it"
)]
pub trait UpdateMetadata: crate::StaticRole {}
