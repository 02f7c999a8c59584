//! The cache's behaviour over a scripted source and a clock moved by hand:
//! no test sleeps, and timeouts run on Tokio's paused time.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::{Clock, FetchError, FetchFuture, JwksError, JwksSource, RemoteJwks, RemoteJwksConfig};

const MINUTE: Duration = Duration::from_secs(60);

/// What the fake source does on its next fetches.
#[derive(Debug, Clone)]
enum Reply {
    Body(&'static str),
    Fail(FetchError),
    /// Waits for a permit of the source's gate, then answers the body.
    Gated(&'static str),
    /// Never answers.
    Hang,
}

#[derive(Debug)]
struct FakeSource {
    reply: Mutex<Reply>,
    fetches: AtomicUsize,
    gate: Semaphore,
}

impl FakeSource {
    fn new(reply: Reply) -> Arc<Self> {
        Arc::new(Self {
            reply: Mutex::new(reply),
            fetches: AtomicUsize::new(0),
            gate: Semaphore::new(0),
        })
    }

    fn answer(&self, reply: Reply) {
        *lock(&self.reply) = reply;
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

impl JwksSource for FakeSource {
    fn fetch(&self) -> FetchFuture<'_> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let reply = lock(&self.reply).clone();
        Box::pin(async move {
            match reply {
                Reply::Body(body) => Ok(body.as_bytes().to_vec()),
                Reply::Fail(error) => Err(error),
                Reply::Gated(body) => {
                    let permit = self.gate.acquire().await;
                    drop(permit);
                    Ok(body.as_bytes().to_vec())
                }
                Reply::Hang => std::future::pending().await,
            }
        })
    }
}

#[derive(Debug)]
struct ManualClock(Mutex<Instant>);

impl ManualClock {
    fn new() -> Arc<Self> {
        Arc::new(Self(Mutex::new(Instant::now())))
    }

    fn advance(&self, by: Duration) {
        *lock(&self.0) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        *lock(&self.0)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A key set is a body that starts with `keys-`; anything else is refused.
fn parse(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.starts_with("keys-") => Ok(text.to_owned()),
        _ => Err(format!("not a key set ({} bytes)", bytes.len())),
    }
}

fn cache(source: &Arc<FakeSource>, clock: &Arc<ManualClock>) -> RemoteJwks<String> {
    RemoteJwks::new(Arc::clone(source), parse).clock(Arc::clone(clock))
}

fn unavailable() -> FetchError {
    FetchError::Status { status: 503 }
}

async fn key_set(jwks: &RemoteJwks<String>) -> Result<String, JwksError> {
    jwks.key_set().await.map(|set| (*set).clone())
}

async fn after_miss(jwks: &RemoteJwks<String>) -> Result<String, JwksError> {
    jwks.key_set_after_miss().await.map(|set| (*set).clone())
}

#[tokio::test]
async fn nothing_is_fetched_until_a_key_set_is_asked_for() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let jwks = cache(&source, &ManualClock::new());
    assert_eq!(source.fetches(), 0);

    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    let source = FakeSource::new(Reply::Gated("keys-v1"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));

    let callers: Vec<_> = (0..50)
        .map(|_| {
            let jwks = Arc::clone(&jwks);
            tokio::spawn(async move { jwks.key_set().await })
        })
        .collect();
    // On this single-threaded runtime every caller now waits: one in the
    // fetch, the others for it.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(source.fetches(), 1);

    source.gate.add_permits(1);
    let mut sets = Vec::new();
    for caller in callers {
        sets.push(caller.await.expect("caller task").expect("key set"));
    }
    assert_eq!(source.fetches(), 1);
    assert_eq!(*sets[0], "keys-v1");
    assert!(sets.iter().all(|set| Arc::ptr_eq(set, &sets[0])));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_on_many_threads_share_one_fetch() {
    let source = FakeSource::new(Reply::Gated("keys-v1"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));

    let callers: Vec<_> = (0..64)
        .map(|_| {
            let jwks = Arc::clone(&jwks);
            tokio::spawn(async move { jwks.key_set().await })
        })
        .collect();
    // Callers that arrive after the fetch find the set cached, so the count
    // holds whatever the interleaving.
    source.gate.add_permits(1);
    for caller in callers {
        assert_eq!(
            *caller.await.expect("caller task").expect("key set"),
            "keys-v1"
        );
    }
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_failure() {
    let source = FakeSource::new(Reply::Gated("not keys"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));

    let callers: Vec<_> = (0..20)
        .map(|_| {
            let jwks = Arc::clone(&jwks);
            tokio::spawn(async move { jwks.key_set().await })
        })
        .collect();
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    source.gate.add_permits(1);
    for caller in callers {
        assert_eq!(
            caller.await.expect("caller task"),
            Err(JwksError::Parse {
                reason: "not a key set (8 bytes)".to_owned()
            })
        );
    }
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn a_cancelled_fetch_leaves_the_next_caller_to_fetch() {
    let source = FakeSource::new(Reply::Gated("keys-v1"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));

    let first = {
        let jwks = Arc::clone(&jwks);
        tokio::spawn(async move { jwks.key_set().await })
    };
    tokio::task::yield_now().await;
    assert_eq!(source.fetches(), 1);
    first.abort();
    assert!(first.await.is_err_and(|error| error.is_cancelled()));

    source.answer(Reply::Body("keys-v2"));
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), 2);
}

#[tokio::test]
async fn a_set_is_refetched_once_it_reaches_its_max_age() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock);
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));

    source.answer(Reply::Body("keys-v2"));
    clock.advance(10 * MINUTE - Duration::from_millis(1));
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 1);

    clock.advance(Duration::from_millis(1));
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), 2);
    // The new set's age starts at its fetch.
    clock.advance(9 * MINUTE);
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), 2);
}

#[tokio::test]
async fn the_max_age_is_configurable() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock).config(RemoteJwksConfig::new().max_age(MINUTE));
    key_set(&jwks).await.expect("first fetch");
    clock.advance(MINUTE);
    key_set(&jwks).await.expect("second fetch");
    assert_eq!(source.fetches(), 2);
}

#[tokio::test]
async fn a_miss_refetches_only_after_the_cooldown() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock);
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    source.answer(Reply::Body("keys-v2"));

    clock.advance(Duration::from_secs(29));
    assert_eq!(after_miss(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(after_miss(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 1);

    clock.advance(Duration::from_secs(1));
    assert_eq!(after_miss(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), 2);
    // The refetch starts a new cooldown, and the refreshed set serves.
    assert_eq!(after_miss(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), 2);
}

#[tokio::test]
async fn a_miss_before_any_fetch_fetches() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let jwks = cache(&source, &ManualClock::new());
    assert_eq!(after_miss(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn a_failed_refetch_after_a_miss_keeps_the_fresh_set_and_waits_a_cooldown() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock);
    key_set(&jwks).await.expect("first fetch");
    source.answer(Reply::Fail(unavailable()));

    clock.advance(MINUTE);
    assert_eq!(after_miss(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 2);
    // Misses cannot hammer a failing source either.
    clock.advance(Duration::from_secs(29));
    assert_eq!(after_miss(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 2);
    clock.advance(Duration::from_secs(1));
    assert_eq!(after_miss(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 3);
}

#[tokio::test]
async fn a_stale_set_serves_within_the_window_then_everything_fails_closed() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock);
    key_set(&jwks).await.expect("first fetch");
    source.answer(Reply::Fail(unavailable()));

    clock.advance(10 * MINUTE);
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 2);
    // Within the cooldown after a failure the stale set serves untried.
    clock.advance(Duration::from_secs(29));
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 2);
    clock.advance(Duration::from_secs(1));
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 3);

    // 70 min in all: 10 of max age and the 60 of the window.
    clock.advance(59 * MINUTE + Duration::from_secs(29));
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    clock.advance(Duration::from_secs(1));
    let expected = JwksError::StaleWindowPassed {
        age: 70 * MINUTE,
        window: 60 * MINUTE,
        cause: Box::new(JwksError::Fetch(unavailable())),
    };
    assert_eq!(key_set(&jwks).await, Err(expected.clone()));
    assert_eq!(after_miss(&jwks).await, Err(expected));
    assert_eq!(
        key_set(&jwks)
            .await
            .map(|_| ())
            .expect_err("refused")
            .to_string(),
        "the last good JWKS is 1h 10m old, past its max age and the stale-if-error window of 1h, \
         and refreshing it failed: fetching the JWKS failed: the server answered 503, not 200"
    );

    // A source that recovers serves again.
    source.answer(Reply::Body("keys-v2"));
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
}

#[tokio::test]
async fn a_zero_stale_window_fails_as_soon_as_a_due_refresh_fails() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks =
        cache(&source, &clock).config(RemoteJwksConfig::new().stale_if_error(Duration::ZERO));
    key_set(&jwks).await.expect("first fetch");
    source.answer(Reply::Fail(FetchError::TooLarge {
        limit_bytes: 262_144,
    }));

    clock.advance(10 * MINUTE);
    assert_eq!(
        key_set(&jwks).await,
        Err(JwksError::StaleWindowPassed {
            age: 10 * MINUTE,
            window: Duration::ZERO,
            cause: Box::new(JwksError::Fetch(FetchError::TooLarge {
                limit_bytes: 262_144
            })),
        })
    );
}

#[tokio::test]
async fn without_a_good_set_each_failure_is_returned_as_it_is() {
    let source = FakeSource::new(Reply::Fail(FetchError::Transport {
        reason: "connection refused".to_owned(),
    }));
    let jwks = cache(&source, &ManualClock::new());
    let error = key_set(&jwks).await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "fetching the JWKS failed: connection refused"
    );
    // Nothing to serve, so the next call tries again rather than fail blind.
    assert_eq!(key_set(&jwks).await, Err(error));
    assert_eq!(source.fetches(), 2);

    source.answer(Reply::Body("garbage"));
    assert_eq!(
        key_set(&jwks).await.expect_err("refused").to_string(),
        "the fetched JWKS was refused: not a key set (7 bytes)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_source_that_never_answers_times_out() {
    let source = FakeSource::new(Reply::Hang);
    let jwks = cache(&source, &ManualClock::new());
    let started = tokio::time::Instant::now();
    let error = key_set(&jwks).await.expect_err("refused");
    assert_eq!(
        error,
        JwksError::Timeout {
            after: Duration::from_secs(5)
        }
    );
    assert_eq!(error.to_string(), "fetching the JWKS timed out after 5s");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn the_fetch_timeout_is_configurable_and_a_timeout_keeps_the_stale_set() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let timings = RemoteJwksConfig::new().fetch_timeout(Duration::from_millis(1500));
    let jwks = cache(&source, &clock).config(timings);
    key_set(&jwks).await.expect("first fetch");

    source.answer(Reply::Hang);
    clock.advance(10 * MINUTE);
    let started = tokio::time::Instant::now();
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(started.elapsed(), Duration::from_millis(1500));
}

#[test]
fn a_fetch_outside_a_tokio_runtime_is_an_error_not_a_panic() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let jwks = cache(&source, &ManualClock::new());
    assert_eq!(
        block_on(jwks.key_set()).map(|_| ()),
        Err(JwksError::NoRuntime)
    );
    assert_eq!(source.fetches(), 0);
}

#[test]
fn the_futures_can_move_between_threads() {
    fn assert_send<F: Future + Send>(_: F) {}
    let jwks = cache(
        &FakeSource::new(Reply::Body("keys-v1")),
        &ManualClock::new(),
    );
    assert_send(jwks.key_set());
    assert_send(jwks.key_set_after_miss());
}

#[test]
fn debug_output_shows_the_state_not_the_keys() {
    let jwks = cache(
        &FakeSource::new(Reply::Body("keys-v1")),
        &ManualClock::new(),
    );
    let debug = format!("{jwks:?}");
    assert!(
        debug.starts_with("RemoteJwks { source: FakeSource {"),
        "{debug}"
    );
    assert!(
        debug.contains("fetched_at: None, failed_at: None, .."),
        "{debug}"
    );
}

/// Polls a future on this thread, outside any Tokio runtime.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}
