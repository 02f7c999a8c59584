//! The six predefined roles as types, for [`StaticRole`](crate::StaticRole)
//! bounds and typed tokens. Their permissions equal the SDK's table.
//!
//! They are declared with [`role!`](crate::role) like any role of an
//! application, so they carry the same capability markers of
//! [`can`](crate::can). Each spells out all seven keys: the table reads here
//! as in `@huddle01/server-sdk`, and the macro refuses to build unless it
//! equals [`Role::permissions`](crate::Role::permissions) exactly.
//!
//! A custom role may not take a predefined name (rule 3), so these items use
//! the hidden `#[role(predefined)]`, which the macro accepts only for these
//! six type names with exactly these permissions.

use crate::role;

role! {
    /// `host`: an admin of the room who may also make others host.
    #[role(predefined)]
    pub struct Host {
        admin: true,
        canConsume: true,
        canProduce: true,
        canProduceSources: { cam: true, mic: true, screen: true },
        canSendData: true,
        canRecvData: true,
        canUpdateMetadata: true,
    }

    /// `coHost`: an admin of the room who may not make others host.
    #[role(predefined)]
    pub struct CoHost {
        admin: true,
        canConsume: true,
        canProduce: true,
        canProduceSources: { cam: true, mic: true, screen: true },
        canSendData: true,
        canRecvData: true,
        canUpdateMetadata: true,
    }

    /// `speaker`: may publish the microphone and the screen, not the camera.
    #[role(predefined)]
    pub struct Speaker {
        admin: false,
        canConsume: true,
        canProduce: true,
        canProduceSources: { cam: false, mic: true, screen: true },
        canSendData: true,
        canRecvData: true,
        canUpdateMetadata: true,
    }

    /// `listener`: consumes and chats, publishes nothing.
    #[role(predefined)]
    pub struct Listener {
        admin: false,
        canConsume: true,
        canProduce: false,
        canProduceSources: { cam: false, mic: false, screen: false },
        canSendData: true,
        canRecvData: true,
        canUpdateMetadata: true,
    }

    /// `guest`: the SDK's default permissions, everything but admin.
    #[role(predefined)]
    pub struct Guest {
        admin: false,
        canConsume: true,
        canProduce: true,
        canProduceSources: { cam: true, mic: true, screen: true },
        canSendData: true,
        canRecvData: true,
        canUpdateMetadata: true,
    }

    /// `bot`: consumes tracks, nothing else.
    #[role(predefined)]
    pub struct Bot {
        admin: false,
        canConsume: true,
        canProduce: false,
        canProduceSources: { cam: false, mic: false, screen: false },
        canSendData: false,
        canRecvData: false,
        canUpdateMetadata: false,
    }
}
