//! The cache itself: one key set, fetched lazily, refreshed by age or by a
//! miss, one fetch at a time on a task of its own, and served stale for a
//! bounded time on errors.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use tokio::sync::watch;

use super::{Clock, JwksError, JwksSource, RemoteJwksConfig, SystemClock};

/// A key set fetched from a [`JwksSource`], parsed into a `T` and cached,
/// with the semantics of jose's remote key set and a bounded stale window.
///
/// - **Lazy:** nothing is fetched until a key set is first asked for.
/// - **Single flight:** one fetch runs at a time, on a task of its own
///   spawned on the caller's runtime; callers that need one while it runs
///   join it and share its outcome, success or failure. The fetch does not
///   belong to its callers: when every one of them is cancelled (a client
///   hung up, a load balancer's deadline passed), it still runs to its end
///   and caches its set, and the next caller joins it or finds the set.
/// - **Max age:** [`key_set`](Self::key_set) serves the cached set while it
///   is younger than the max age (default 10 min), and fetches it again after.
/// - **Misses:** a token whose key the cached set lacks may come from a key
///   rotation; [`key_set_after_miss`](Self::key_set_after_miss) refetches,
///   unless the last successful fetch is younger than the miss cooldown
///   (default 30 s), so tokens with made-up `kid`s cannot make the server
///   hammer its key source.
/// - **Timeout:** each fetch is bounded by the fetch timeout (default 5 s).
/// - **Failures cool down:** a failed fetch starts the same cooldown as a
///   miss, before and after a first success: until it passes no fetch
///   starts, and a caller with no set to serve gets
///   [`JwksError::CoolingDown`] at once, naming the last failure. So while
///   the key source is down, unauthenticated requests (junk tokens
///   included) cost one outbound request per cooldown, not one each, and no
///   verification waits for a timeout.
/// - **Stale if error:** when a refresh fails, the last good set keeps
///   serving until it is older than its max age plus the stale-if-error
///   window (default 1 h); after that every call that cannot refresh fails
///   closed.
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
/// does): the fetch is spawned on it, and its timer bounds the fetch.
/// Outside any runtime a fetch is refused with [`JwksError::NoRuntime`]; in
/// a runtime built without its time driver Tokio's timer panics inside the
/// fetch's task, and its callers get [`JwksError::FetchAborted`]. A fetch
/// whose runtime shuts down meanwhile ends the same way.
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
    // Shared with the task of the fetch in flight, which outlives its callers.
    source: Arc<dyn JwksSource>,
    parse: Arc<Parser<T>>,
    clock: Arc<dyn Clock>,
    config: RemoteJwksConfig,
    state: Arc<State<T>>,
}

type Parser<T> = dyn Fn(&[u8]) -> Result<T, String> + Send + Sync;

/// What the fetch task and the callers share.
struct State<T> {
    // Read without a lock on the hot path.
    cached: ArcSwapOption<Cached<T>>,
    // Held only between awaits, never across one.
    flight: Mutex<Flight<T>>,
}

struct Cached<T> {
    set: Arc<T>,
    fetched_at: Instant,
}

type Outcome<T> = Result<Arc<T>, JwksError>;

struct Flight<T> {
    // The fetch under way: its outcome, once it is sent.
    running: Option<watch::Receiver<Option<Outcome<T>>>>,
    // The last fetch, if it failed: when, and why.
    failure: Option<(Instant, JwksError)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Fresh,
    AfterMiss,
}

/// What a caller on the slow path does.
enum Step<T> {
    Done(Outcome<T>),
    Join(watch::Receiver<Option<Outcome<T>>>),
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
            source: Arc::new(source),
            parse: Arc::new(move |bytes| parse(bytes).map_err(|error| error.to_string())),
            clock: Arc::new(SystemClock),
            config: RemoteJwksConfig::new(),
            state: Arc::new(State {
                cached: ArcSwapOption::empty(),
                flight: Mutex::new(Flight {
                    running: None,
                    failure: None,
                }),
            }),
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
        self.clock = Arc::new(clock);
        self
    }

    /// The timings in force.
    pub fn timings(&self) -> &RemoteJwksConfig {
        &self.config
    }

    /// The key set to verify with: the cached one while younger than the max
    /// age, else a fresh fetch (or the one in flight), else (the fetch
    /// failing) the last good set within the stale-if-error window.
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
        let cached = self.state.cached.load();
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
        let mut outcome = match self.step(want) {
            Step::Done(outcome) => return outcome,
            Step::Join(outcome) => outcome,
        };
        // The sender goes away without an outcome only if the task did not
        // finish: its runtime shut down, or it panicked.
        let outcome = match outcome.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone().unwrap_or(Err(JwksError::FetchAborted)),
            Err(_closed) => Err(JwksError::FetchAborted),
        };
        match outcome {
            Ok(set) => Ok(set),
            Err(cause) => self.after_failure(cause),
        }
    }

    /// Decides, under the flight lock, between the cached set, the fetch in
    /// flight, the last failure (within its cooldown) and a new fetch.
    fn step(&self, want: Want) -> Step<T> {
        let mut flight = lock(&self.state.flight);
        // Read under the lock: a fetch stores its set before it clears
        // `running`, so a set that just arrived is seen here.
        let now = self.clock.now();
        if let Some(cached) = self.state.cached.load_full() {
            let age = now.saturating_duration_since(cached.fetched_at);
            let fresh_enough = match want {
                Want::Fresh => age < self.config.max_age,
                Want::AfterMiss => age < self.config.miss_cooldown,
            };
            if fresh_enough {
                return Step::Done(Ok(Arc::clone(&cached.set)));
            }
        }
        if let Some(running) = &flight.running {
            // A closed channel is a task that ended without finishing.
            if running.has_changed().is_ok() {
                return Step::Join(running.clone());
            }
        }
        if let Some((failed_at, cause)) = &flight.failure {
            let since = now.saturating_duration_since(*failed_at);
            if since < self.config.miss_cooldown {
                // The stale set, or past its window an error that says why.
                if self.state.cached.load().is_some() {
                    return Step::Done(self.after_failure(cause.clone()));
                }
                return Step::Done(Err(JwksError::CoolingDown {
                    retry_in: self.config.miss_cooldown - since,
                    cause: Box::new(cause.clone()),
                }));
            }
        }
        // Tokio's timer panics outside a runtime; refuse instead.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Step::Done(Err(JwksError::NoRuntime));
        };
        let (sender, receiver) = watch::channel(None);
        flight.running = Some(receiver.clone());
        drop(flight);
        runtime.spawn(self.fetch_task(sender));
        Step::Join(receiver)
    }

    /// One fetch, owning all it needs, so that it runs to its end whoever
    /// still waits for it.
    fn fetch_task(
        &self,
        sender: watch::Sender<Option<Outcome<T>>>,
    ) -> impl std::future::Future<Output = ()> + Send + 'static {
        let source = Arc::clone(&self.source);
        let parse = Arc::clone(&self.parse);
        let clock = Arc::clone(&self.clock);
        let state = Arc::clone(&self.state);
        let timeout = self.config.fetch_timeout;
        async move {
            let outcome = match tokio::time::timeout(timeout, source.fetch()).await {
                Err(_elapsed) => Err(JwksError::Timeout { after: timeout }),
                Ok(Err(error)) => Err(JwksError::Fetch(error)),
                Ok(Ok(bytes)) => parse(&bytes)
                    .map(Arc::new)
                    .map_err(|reason| JwksError::Parse { reason }),
            };
            let now = clock.now();
            if let Ok(set) = &outcome {
                state.cached.store(Some(Arc::new(Cached {
                    set: Arc::clone(set),
                    fetched_at: now,
                })));
            }
            let mut flight = lock(&state.flight);
            flight.running = None;
            flight.failure = outcome.as_ref().err().map(|error| (now, error.clone()));
            drop(flight);
            // No receiver left is fine: the set is cached for the next caller.
            let _ = sender.send(Some(outcome));
        }
    }

    /// What a caller gets when the fetch failed: the last good set while
    /// within the stale-if-error window, else the failure.
    fn after_failure(&self, cause: JwksError) -> Result<Arc<T>, JwksError> {
        let Some(cached) = self.state.cached.load_full() else {
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
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while holding it; a poisoned lock still holds sound state.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl<T> fmt::Debug for RemoteJwks<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.state.cached.load();
        let flight = lock(&self.state.flight);
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
                &flight.failure.as_ref().map(|(failed_at, _)| failed_at),
            )
            .field("fetching", &flight.running.is_some())
            .finish_non_exhaustive()
    }
}
