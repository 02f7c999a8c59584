// A near miss of `canProduceSources`.
huddle_auth::role! {
    pub struct Viewer {
        canProduceSource: { cam: false },
    }
}

fn main() {}
