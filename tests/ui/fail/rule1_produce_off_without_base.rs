// Without a base every source starts allowed, so `canProduce: false` alone
// breaks rule 1: the sources must be switched off too.
huddle_auth::role! {
    pub struct Viewer {
        canProduce: false,
    }
}

fn main() {}
