//! Max age, miss cooldown and the stale-if-error window, on a hand-moved clock.

use super::*;

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

    // A source that recovers serves again, once the cooldown after the
    // last failure has passed.
    source.answer(Reply::Body("keys-v2"));
    let fetches = source.fetches();
    assert!(key_set(&jwks).await.is_err());
    assert_eq!(source.fetches(), fetches);
    clock.advance(Duration::from_secs(29));
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), fetches + 1);
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
