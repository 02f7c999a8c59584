// Turning `canProduce` off over a base that allows sources leaves them on (rule 1).
huddle_auth::role! {
    pub struct Muted: Guest {
        canProduce: false,
    }
}

fn main() {}
