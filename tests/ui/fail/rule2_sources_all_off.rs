// Switching every source off while the base keeps `canProduce: true` (rule 2).
huddle_auth::role! {
    pub struct Silent: Guest {
        canProduceSources: { cam: false, mic: false, screen: false },
    }
}

fn main() {}
