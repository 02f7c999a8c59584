// A listener cannot share its screen without `canProduce: true` (rule 1).
huddle_auth::role! {
    pub struct Presenter: Listener {
        canProduceSources: { screen: true },
    }
}

fn main() {}
