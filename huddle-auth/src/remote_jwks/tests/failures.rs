//! Timeouts, refused documents, and what the cache never does (panic, leak).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

use super::*;

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
