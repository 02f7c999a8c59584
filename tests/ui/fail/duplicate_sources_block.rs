// Two `canProduceSources` blocks: the second is reported.
huddle_auth::role! {
    pub struct Quiet: Guest {
        canProduceSources: { cam: false },
        canProduceSources: { mic: false },
    }
}

fn main() {}
