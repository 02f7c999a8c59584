//! How long a remote key set is trusted, and how hard its source is asked.

use std::time::Duration;

/// How long one fetch of the key set may take before it counts as failed
/// (jose's remote key set uses the same 5 s).
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// How old a cached key set may grow before it is fetched again (jose: 10 min).
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// How recent a successful fetch must be for a token whose key is missing to
/// trigger no refetch (jose: 30 s). It bounds how often unknown `kid`s, which
/// anyone can put in a token, can make the server fetch.
pub const DEFAULT_MISS_COOLDOWN: Duration = Duration::from_secs(30);

/// How long past its max age the last good key set keeps serving while
/// refreshes fail (jose has no such window: it fails at once).
pub const DEFAULT_STALE_IF_ERROR: Duration = Duration::from_secs(60 * 60);

/// The timings of a [`RemoteJwks`](crate::RemoteJwks) cache.
///
/// Every value may be zero: a zero timeout fails every fetch, a zero max age
/// refetches on every call (still one fetch at a time), a zero cooldown lets
/// every miss refetch, and a zero stale window fails closed as soon as a
/// refresh fails after the max age.
///
/// ```
/// use std::time::Duration;
/// use huddle_auth::RemoteJwksConfig;
///
/// let config = RemoteJwksConfig::new()
///     .max_age(Duration::from_secs(300))
///     .stale_if_error(Duration::ZERO);
/// assert_ne!(config, RemoteJwksConfig::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteJwksConfig {
    pub(crate) fetch_timeout: Duration,
    pub(crate) max_age: Duration,
    pub(crate) miss_cooldown: Duration,
    pub(crate) stale_if_error: Duration,
}

impl RemoteJwksConfig {
    /// The defaults: [`DEFAULT_FETCH_TIMEOUT`], [`DEFAULT_MAX_AGE`],
    /// [`DEFAULT_MISS_COOLDOWN`] and [`DEFAULT_STALE_IF_ERROR`].
    pub const fn new() -> Self {
        Self {
            fetch_timeout: DEFAULT_FETCH_TIMEOUT,
            max_age: DEFAULT_MAX_AGE,
            miss_cooldown: DEFAULT_MISS_COOLDOWN,
            stale_if_error: DEFAULT_STALE_IF_ERROR,
        }
    }

    /// How long one fetch may take, from the request to the last byte.
    #[must_use]
    pub const fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// How old the cached set may be before a call fetches it again.
    #[must_use]
    pub const fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How recent a successful fetch keeps a miss from refetching; also how
    /// long after a failed refresh a stale set is served without trying again.
    #[must_use]
    pub const fn miss_cooldown(mut self, cooldown: Duration) -> Self {
        self.miss_cooldown = cooldown;
        self
    }

    /// How long past its max age the last good set serves while refreshes fail.
    #[must_use]
    pub const fn stale_if_error(mut self, window: Duration) -> Self {
        self.stale_if_error = window;
        self
    }
}

impl Default for RemoteJwksConfig {
    fn default() -> Self {
        Self::new()
    }
}
