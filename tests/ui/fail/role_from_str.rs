// A role given as text: the error names the types that are roles.
use huddle_auth::{AccessToken, ApiKey};

fn main() {
    let key = ApiKey::new("ak_demo", "a secret of at least thirty-two bytes").unwrap();
    let _ = AccessToken::new(&key, "abc-defg-hij").role("moderator");
}
