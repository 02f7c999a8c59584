//! The cache itself: one key set, fetched lazily, refreshed by age or by a
//! miss, one fetch at a time, and served stale for a bounded time on errors.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;

use super::{Clock, JwksError, JwksSource, RemoteJwksConfig, SystemClock};

/// A key set fetched from a [`JwksSource`], parsed into a `T` and cached,
/// with the semantics of jose's remote key set and a bounded stale window.
///
/// - **Lazy:** nothing is fetched until a key set is first asked for.
/// - **Single flight:** one fetch runs at a time; callers that need one while
///   it runs wait for it and share its outcome, success or failure.
/// - **Max age:** [`key_set`](Self::key_set) serves the cached set while it
///   is younger than the max age (default 10 min), and fetches it again after.
/// - **Misses:** a token whose key the cached set lacks may come from a key
///   rotation; [`key_set_after_miss`](Self::key_set_after_miss) refetches,
///   unless the last successful fetch is younger than the miss cooldown
///   (default 30 s), so tokens with made-up `kid`s cannot make the server
///   hammer its key source.
/// - **Timeout:** each fetch is bounded by the fetch timeout (default 5 s).
/// - **Stale if error:** when a refresh fails, the last good set keeps
///   serving until it is older than its max age plus the stale-if-error
///   window (default 1 h); after that every call that cannot refresh fails
///   closed. While a stale set serves, a failed refresh is retried at most
///   once per miss cooldown, so an outage of the key source does not make
///   every verification wait for a timeout.
///
/// The stale window is a trade-off: it keeps verification up while the key
/// source is down or unreachable, but a key the issuer has withdrawn (say,
/// after a leak) is still trusted until the window passes, if the issuer's
/// JWKS cannot be fetched meanwhile. An attacker who can block the fetch can
/// stretch the old set's life to the window, never beyond it. Set the window
/// to zero to fail as jose does, as soon as a refresh past the max age fails.
///
/// The hot path, a fresh cached set, reads the cache without a lock
/// (`arc-swap`) and allocates nothing: it costs a clock read and an [`Arc`]
/// clone.
///
/// Fetches need a Tokio runtime with its time driver enabled (as `reqwest`
/// does), whose timer bounds them. Outside any runtime a fetch is refused
/// with [`JwksError::NoRuntime`]; in a runtime built without its time driver
/// Tokio's timer panics, which this crate cannot detect beforehand.
///
/// ```
/// use std::sync::Arc;
/// use huddle_auth::{FetchFuture, JwksSource, RemoteJwks};
///
/// #[derive(Debug)]
/// struct Fixed(&'static str);
///
/// impl JwksSource for Fixed {
///     fn fetch(&self) -> FetchFuture<'_> {
///         Box::pin(async move { Ok(self.0.as_bytes().to_vec()) })
///     }
/// }
///
/// // Any parser will do; a verifier's parses a JWKS into its keys.
/// let jwks = RemoteJwks::new(Fixed(r#"{"keys":[]}"#), |bytes: &[u8]| {
///     serde_json::from_slice::<serde_json::Value>(bytes)
/// });
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// # runtime.block_on(async {
/// let set: Arc<serde_json::Value> = jwks.key_set().await?;
/// assert_eq!(set["keys"], serde_json::json!([]));
/// # Ok::<(), huddle_auth::JwksError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RemoteJwks<T> {
    source: Box<dyn JwksSource>,
    parse: Box<Parser<T>>,
    config: RemoteJwksConfig,
    clock: Box<dyn Clock>,
    cached: ArcSwapOption<Cached<T>>,
    flight: tokio::sync::Mutex<Flight<T>>,
    // The number of finished fetches, readable without the flight lock: a
    // caller that saw an older count when it decided to fetch takes the
    // outcome of the fetch that finished meanwhile instead of fetching again.
    finished: AtomicU64,
}

type Parser<T> = dyn Fn(&[u8]) -> Result<T, String> + Send + Sync;

struct Cached<T> {
    set: Arc<T>,
    fetched_at: Instant,
    // When the last refresh after this set failed.
    failed_at: Option<Instant>,
}

struct Flight<T> {
    finished: u64,
    last: Option<Result<Arc<T>, JwksError>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Fresh,
    AfterMiss,
}

impl<T: Send + Sync + 'static> RemoteJwks<T> {
    /// A cache over `source`, whose documents `parse` turns into key sets,
    /// with the default timings and the system clock. Nothing is fetched yet.
    pub fn new<S, F, E>(source: S, parse: F) -> Self
    where
        S: JwksSource,
        F: Fn(&[u8]) -> Result<T, E> + Send + Sync + 'static,
        E: fmt::Display,
    {
        Self {
            source: Box::new(source),
            parse: Box::new(move |bytes| parse(bytes).map_err(|error| error.to_string())),
            config: RemoteJwksConfig::new(),
            clock: Box::new(SystemClock),
            cached: ArcSwapOption::empty(),
            flight: tokio::sync::Mutex::new(Flight {
                finished: 0,
                last: None,
            }),
            finished: AtomicU64::new(0),
        }
    }

    /// Uses these timings instead of the defaults.
    #[must_use]
    pub fn config(mut self, config: RemoteJwksConfig) -> Self {
        self.config = config;
        self
    }

    /// Reads cache ages from `clock` instead of the system clock.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// The timings in force.
    pub fn timings(&self) -> &RemoteJwksConfig {
        &self.config
    }

    /// The key set to verify with: the cached one while younger than the max
    /// age, else a fresh fetch, else (the fetch failing) the last good set
    /// within the stale-if-error window.
    pub async fn key_set(&self) -> Result<Arc<T>, JwksError> {
        if let Some(set) = self.cached_fresh() {
            return Ok(set);
        }
        self.slow_path(Want::Fresh).await
    }

    /// The cached set if it is younger than the max age, without fetching:
    /// what a caller that cannot wait for a fetch may use. `None` before the
    /// first fetch and once the set is due for a refresh.
    pub fn cached_fresh(&self) -> Option<Arc<T>> {
        let cached = self.cached.load();
        let cached = cached.as_ref()?;
        let age = self
            .clock
            .now()
            .saturating_duration_since(cached.fetched_at);
        (age < self.config.max_age).then(|| Arc::clone(&cached.set))
    }

    /// The key set to try again with after a token named a key that the set
    /// from [`key_set`](Self::key_set) lacks: a fresh fetch, unless the last
    /// successful one is younger than the miss cooldown (then the cached set,
    /// which a concurrent miss may just have refreshed). A failed fetch falls
    /// back like `key_set`. If the returned set lacks the key too, refuse the
    /// token.
    pub async fn key_set_after_miss(&self) -> Result<Arc<T>, JwksError> {
        self.slow_path(Want::AfterMiss).await
    }

    async fn slow_path(&self, want: Want) -> Result<Arc<T>, JwksError> {
        // Read before the cache: a fetch stores its set before counting itself.
        let seen = self.finished.load(Ordering::Acquire);
        if let Some(set) = self.servable_without_fetch(want) {
            return Ok(set);
        }
        match self.refresh(seen).await {
            Ok(set) => Ok(set),
            Err(cause) => self.after_failed_refresh(cause),
        }
    }

    fn servable_without_fetch(&self, want: Want) -> Option<Arc<T>> {
        let cached = self.cached.load_full()?;
        let now = self.clock.now();
        let age = now.saturating_duration_since(cached.fetched_at);
        let fresh_enough = match want {
            Want::Fresh => age < self.config.max_age,
            Want::AfterMiss => age < self.config.miss_cooldown,
        };
        let retry_later = cached.failed_at.is_some_and(|failed_at| {
            now.saturating_duration_since(failed_at) < self.config.miss_cooldown
        }) && age < self.serving_limit();
        (fresh_enough || retry_later).then(|| Arc::clone(&cached.set))
    }

    fn after_failed_refresh(&self, cause: JwksError) -> Result<Arc<T>, JwksError> {
        let Some(cached) = self.cached.load_full() else {
            return Err(cause);
        };
        let age = self
            .clock
            .now()
            .saturating_duration_since(cached.fetched_at);
        if age < self.serving_limit() {
            return Ok(Arc::clone(&cached.set));
        }
        Err(JwksError::StaleWindowPassed {
            age: Duration::from_secs(age.as_secs()),
            window: self.config.stale_if_error,
            cause: Box::new(cause),
        })
    }

    // How old the last good set may be and still serve when refreshes fail.
    fn serving_limit(&self) -> Duration {
        self.config
            .max_age
            .saturating_add(self.config.stale_if_error)
    }

    async fn refresh(&self, seen: u64) -> Result<Arc<T>, JwksError> {
        let mut flight = self.flight.lock().await;
        if flight.finished != seen {
            if let Some(last) = &flight.last {
                return last.clone();
            }
        }
        // Cancelling the caller here drops the fetch and releases the lock
        // uncounted, so the next waiter fetches instead.
        let outcome = self.fetch().await;
        let now = self.clock.now();
        match &outcome {
            Ok(set) => self.cached.store(Some(Arc::new(Cached {
                set: Arc::clone(set),
                fetched_at: now,
                failed_at: None,
            }))),
            Err(_) => {
                if let Some(cached) = self.cached.load_full() {
                    self.cached.store(Some(Arc::new(Cached {
                        set: Arc::clone(&cached.set),
                        fetched_at: cached.fetched_at,
                        failed_at: Some(now),
                    })));
                }
            }
        }
        flight.finished += 1;
        flight.last = Some(outcome.clone());
        self.finished.store(flight.finished, Ordering::Release);
        outcome
    }

    async fn fetch(&self) -> Result<Arc<T>, JwksError> {
        // Tokio's timer panics outside a runtime; refuse instead.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(JwksError::NoRuntime);
        }
        let timeout = self.config.fetch_timeout;
        let bytes = tokio::time::timeout(timeout, self.source.fetch())
            .await
            .map_err(|_elapsed| JwksError::Timeout { after: timeout })??;
        (self.parse)(&bytes)
            .map(Arc::new)
            .map_err(|reason| JwksError::Parse { reason })
    }
}

impl<T> fmt::Debug for RemoteJwks<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cached.load();
        f.debug_struct("RemoteJwks")
            .field("source", &self.source)
            .field("config", &self.config)
            .field("clock", &self.clock)
            .field(
                "fetched_at",
                &cached.as_ref().map(|cached| cached.fetched_at),
            )
            .field(
                "failed_at",
                &cached.as_ref().and_then(|cached| cached.failed_at),
            )
            .finish_non_exhaustive()
    }
}
