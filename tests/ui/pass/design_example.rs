//! The example of DESIGN section 4, verbatim.

use huddle_auth::{role, StaticRole};

role! {
    /// Runs the stage but never shows a camera.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
        canUpdateMetadata: false,
    }

    #[role(name = "stage-bot")]
    pub struct StageBot {
        admin: false,
        canConsume: true,
        canProduce: false,
        canProduceSources: { cam: false, mic: false, screen: false },
        canSendData: false,
        canRecvData: true,
        canUpdateMetadata: false,
    }
}

fn main() {
    assert_eq!(Moderator::NAME, "moderator");
    assert_eq!(StageBot::NAME, "stage-bot");
}
