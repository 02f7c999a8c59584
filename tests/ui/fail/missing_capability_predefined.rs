// A speaker may not publish its camera: the bound names the role and the capability.
use huddle_auth::roles::Speaker;
use huddle_auth::{can, Peer};

fn start_camera<R: can::ProduceCam>(_peer: &Peer<R>) {}

fn on_join(peer: &Peer<Speaker>) {
    start_camera(peer);
}

fn main() {}
