//! Timeouts, refused documents, and what the cache never does (panic, leak).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

use super::*;

#[tokio::test]
async fn without_a_good_set_a_failure_is_returned_then_cools_down() {
    let source = FakeSource::new(Reply::Fail(FetchError::Transport {
        reason: "connection refused".to_owned(),
    }));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock);
    let error = key_set(&jwks).await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "fetching the JWKS failed: connection refused"
    );
    // Within the cooldown no fetch starts: the last failure, at once.
    clock.advance(Duration::from_millis(29_500));
    assert_eq!(
        key_set(&jwks).await,
        Err(JwksError::CoolingDown {
            retry_in: Duration::from_millis(500),
            cause: Box::new(error.clone()),
        })
    );
    assert_eq!(
        after_miss(&jwks).await.expect_err("refused").to_string(),
        "the last fetch of the JWKS failed and is not retried for another 1s: \
         fetching the JWKS failed: connection refused"
    );
    assert_eq!(source.fetches(), 1);

    clock.advance(Duration::from_millis(500));
    source.answer(Reply::Body("garbage"));
    assert_eq!(
        key_set(&jwks).await.expect_err("refused").to_string(),
        "the fetched JWKS was refused: not a key set (7 bytes)"
    );
    assert_eq!(source.fetches(), 2);
    // A document refused is a failure like any other.
    source.answer(Reply::Body("keys-v1"));
    assert!(matches!(
        key_set(&jwks).await,
        Err(JwksError::CoolingDown { .. })
    ));
    clock.advance(Duration::from_secs(30));
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 3);
}

#[tokio::test]
async fn fifty_serial_calls_to_a_failing_source_fetch_once_per_cooldown() {
    let source = FakeSource::new(Reply::Fail(unavailable()));
    let clock = ManualClock::new();
    let jwks = cache(&source, &clock);
    // One call a second for 50 s: fetches at 0 s and 30 s only.
    for second in 0..50 {
        let outcome = key_set(&jwks).await;
        match second {
            0 | 30 => assert_eq!(outcome, Err(JwksError::Fetch(unavailable()))),
            _ => assert!(
                matches!(&outcome, Err(JwksError::CoolingDown { cause, .. })
                    if **cause == JwksError::Fetch(unavailable())),
                "{second}: {outcome:?}"
            ),
        }
        clock.advance(Duration::from_secs(1));
    }
    assert_eq!(source.fetches(), 2);
}

#[tokio::test]
async fn after_a_first_success_a_failed_refresh_cools_down_too() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks =
        cache(&source, &clock).config(RemoteJwksConfig::new().stale_if_error(Duration::ZERO));
    key_set(&jwks).await.expect("first fetch");
    source.answer(Reply::Fail(unavailable()));
    clock.advance(10 * MINUTE);
    // Past the max age with no stale window: every call fails closed, and
    // only the first of each cooldown asks the source.
    for _ in 0..50 {
        assert!(matches!(
            key_set(&jwks).await,
            Err(JwksError::StaleWindowPassed { .. })
        ));
        clock.advance(Duration::from_secs(1));
    }
    assert_eq!(source.fetches(), 1 + 2);
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
        debug.contains("fetched_at: None, failed_at: None, fetching: false, .."),
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
