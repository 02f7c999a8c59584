// Every mistake of one invocation is reported in one build.
huddle_auth::role! {
    pub struct Viewer: Listner {
        can_consume: true,
    }

    pub struct Presenter: Listener {
        canProduceSources: { screen: true },
        canSendData: maybe,
    }

    #[role(name = "presenter")]
    pub struct Other {}
}

fn main() {}
