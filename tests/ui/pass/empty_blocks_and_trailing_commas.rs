//! Empty blocks, missing and present trailing commas, and `#[cfg]`.

use huddle_auth::{role, Permissions, Role, StaticRole};

role! {
    /// No base, empty block: the default permissions.
    pub struct Member {}

    /// No trailing comma.
    pub struct Reader: Listener { canSendData: false }

    /// Trailing commas everywhere, an empty sources block.
    pub struct Writer: Listener {
        canProduceSources: {},
        canUpdateMetadata: false,
    }

    /// Compiled out together with its impls.
    #[cfg(any())]
    pub struct Ghost: Bot { canRecvData: true }

    /// Compiled in.
    #[cfg(all())]
    pub struct Present {}
}

fn main() {
    assert_eq!(Member::PERMISSIONS, Permissions::DEFAULT);
    assert_eq!(Member::PERMISSIONS, Role::Guest.permissions());
    assert!(!Reader::PERMISSIONS.can_send_data);
    assert!(!Writer::PERMISSIONS.can_update_metadata);
    assert_eq!(Present::NAME, "present");
}
