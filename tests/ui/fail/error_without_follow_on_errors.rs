// A role with an error is still declared, with every marker, so code using
// it reports nothing more than the error itself.
use huddle_auth::{can, role, Peer, StaticRole};

role! {
    pub struct Moderator: Guest {
        canProduceSources: { cam: flase },
    }
}

fn start_camera<R: can::ProduceCam>(_peer: &Peer<R>) {}

fn on_join(peer: &Peer<Moderator>) {
    start_camera(peer);
    let _ = Moderator::NAME;
}

fn main() {}
