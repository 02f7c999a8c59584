// `video` is a track label; its source is `cam`.
huddle_auth::role! {
    pub struct Radio: Guest {
        canProduceSources: { video: false },
    }
}

fn main() {}
