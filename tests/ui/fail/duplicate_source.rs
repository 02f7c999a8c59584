// The second `mic` is reported.
huddle_auth::role! {
    pub struct Quiet: Guest {
        canProduceSources: { mic: false, cam: true, mic: true },
    }
}

fn main() {}
