// `canProduceSources` takes a block of sources.
huddle_auth::role! {
    pub struct Viewer: Listener {
        canProduceSources: false,
    }
}

fn main() {}
