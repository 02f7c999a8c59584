//! Several roles in one invocation, with every kind of visibility and base.

mod stage {
    huddle_auth::role! {
        /// Visible to the whole crate.
        pub(crate) struct Moderator: Guest {
            canProduceSources: { cam: false },
            canUpdateMetadata: false,
        }

        /// Visible to the parent module only.
        pub(super) struct Usher: Listener {
            canSendData: false,
        }

        /// Visible everywhere.
        pub struct Headliner: Host {}

        /// Private to this module, used right here.
        struct Stagehand: Bot {
            canRecvData: true,
        }
    }

    pub fn stagehand_name() -> &'static str {
        <Stagehand as huddle_auth::StaticRole>::NAME
    }
}

use huddle_auth::{Permissions, ProduceSources, Role, StaticRole};

fn main() {
    assert_eq!(stage::Moderator::NAME, "moderator");
    assert_eq!(
        stage::Moderator::PERMISSIONS,
        Permissions {
            can_produce_sources: ProduceSources { cam: false, mic: true, screen: true },
            can_update_metadata: false,
            ..Role::Guest.permissions()
        }
    );
    assert_eq!(stage::Usher::NAME, "usher");
    assert_eq!(
        stage::Usher::PERMISSIONS,
        Permissions { can_send_data: false, ..Role::Listener.permissions() }
    );
    assert_eq!(stage::Headliner::NAME, "headliner");
    assert_eq!(stage::Headliner::PERMISSIONS, Role::Host.permissions());
    assert_eq!(stage::stagehand_name(), "stagehand");
    // Zero-sized, with the derives a marker type needs.
    assert_eq!(std::mem::size_of::<stage::Moderator>(), 0);
    let copied = stage::Moderator;
    assert_eq!(copied, stage::Moderator::default());
    assert_eq!(format!("{copied:?}"), "Moderator");
}
