// Rule 3 on the default name: `Listener` becomes `listener`, a predefined name.
huddle_auth::role! {
    pub struct Listener: Bot {
        canRecvData: true,
    }
}

fn main() {}
