// A role declared with `role!` gets exactly the markers of what it grants.
use huddle_auth::{can, role, Peer};

role! {
    /// Runs the stage but never shows a camera.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
    }
}

fn share_screen<R: can::ProduceScreen>(_peer: &Peer<R>) {}
fn start_camera<R: can::ProduceCam>(_peer: &Peer<R>) {}

fn on_join(peer: &Peer<Moderator>) {
    share_screen(peer);
    start_camera(peer);
}

fn main() {}
