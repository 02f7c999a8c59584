// `canProduce: true` over a base that allows no source publishes nothing (rule 2).
huddle_auth::role! {
    pub struct Loud: Listener {
        canProduce: true,
    }
}

fn main() {}
