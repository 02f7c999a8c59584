// A near miss of `cam`.
huddle_auth::role! {
    pub struct Radio: Guest {
        canProduceSources: { camera: false },
    }
}

fn main() {}
