// The second `canSendData` is reported.
huddle_auth::role! {
    pub struct Quiet: Guest {
        canSendData: false,
        canRecvData: true,
        canSendData: true,
    }
}

fn main() {}
