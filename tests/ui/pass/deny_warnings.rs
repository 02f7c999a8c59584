//! The expansion is warning-free under `#![deny(warnings)]`, with roles used
//! only as types, as a server uses them.
#![deny(warnings, missing_docs, unused_qualifications, unused_results)]

use huddle_auth::{can, role, Peer, StaticRole};

role! {
    /// Opens and closes the stage.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
    }

    /// Never constructed: only named in a type.
    struct Observer: Bot {}
}

fn share_screen<R: can::ProduceScreen>(peer: &Peer<R>) -> &str {
    peer.peer_id()
}

fn observe<R: can::Consume>(_peer: Option<&Peer<R>>) -> &'static str {
    R::NAME
}

fn main() {
    // Declared inside a function: the impls stay local, with no
    // `non_local_definitions` warning.
    role! {
        /// Local to `main`.
        struct Local: Listener {}
    }
    assert_eq!(Local::NAME, "local");

    let _: fn(&Peer<Moderator>) -> &str = share_screen::<Moderator>;
    assert_eq!(observe::<Observer>(None), "observer");
    assert_eq!(Moderator::NAME, "moderator");
}
