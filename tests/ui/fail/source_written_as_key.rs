// `cam` belongs inside `canProduceSources`.
huddle_auth::role! {
    pub struct Radio: Guest {
        cam: false,
    }
}

fn main() {}
