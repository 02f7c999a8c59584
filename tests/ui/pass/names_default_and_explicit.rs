//! Wire names: lowerCamelCase of the struct name by default, or `name = "..."`.

use huddle_auth::{role, StaticRole};

role! {
    /// Default name: `stageBot`.
    pub struct StageBot: Bot {}

    /// Explicit name with a dash.
    #[role(name = "stage-manager")]
    pub struct StageManager: CoHost {}

    /// Exactly 20 characters, the SDK's limit.
    #[role(name = "abcdefghij_123456789")]
    pub struct LongestName {}

    /// A raw identifier: the name is `match`, without `r#`.
    pub struct r#Match: Listener {}

    /// The attribute may come before or after the doc comment.
    #[role(name = "DJ")]
    /// Plays music.
    pub struct DiscJockey: Speaker {}
}

fn main() {
    assert_eq!(StageBot::NAME, "stageBot");
    assert_eq!(StageManager::NAME, "stage-manager");
    assert_eq!(LongestName::NAME, "abcdefghij_123456789");
    assert_eq!(LongestName::NAME.len(), 20);
    assert_eq!(r#Match::NAME, "match");
    assert_eq!(DiscJockey::NAME, "DJ");
}
