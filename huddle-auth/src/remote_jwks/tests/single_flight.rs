//! One fetch at a time, shared by every caller that needs it.

use super::*;

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

    let callers = spawn_callers(&jwks, 50, Want::Fresh);
    // On this single-threaded runtime every caller now waits: one in the
    // fetch, the others for it.
    let_every_task_run().await;
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

    let callers = spawn_callers(&jwks, 64, Want::Fresh);
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

    let callers = spawn_callers(&jwks, 20, Want::Fresh);
    let_every_task_run().await;
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
async fn cancelling_every_caller_does_not_cancel_the_fetch() {
    let source = FakeSource::new(Reply::Gated("keys-v1"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));

    let callers = spawn_callers(&jwks, 10, Want::Fresh);
    let_every_task_run().await;
    assert_eq!(source.fetches(), 1);
    for caller in callers {
        caller.abort();
        assert!(caller.await.is_err_and(|error| error.is_cancelled()));
    }
    // A caller that comes while the fetch still runs joins it.
    let late = spawn_callers(&jwks, 1, Want::Fresh)
        .pop()
        .expect("one caller");
    let_every_task_run().await;
    assert_eq!(source.fetches(), 1);
    source.answer(Reply::Body("keys-v2"));
    source.gate.add_permits(1);
    assert_eq!(
        *late.await.expect("caller task").expect("key set"),
        "keys-v1"
    );
    // The fetch ran to its end and cached its set: no second fetch.
    assert_eq!(key_set(&jwks).await, Ok("keys-v1".to_owned()));
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn a_fetch_whose_callers_are_all_gone_still_fills_the_cache() {
    let source = FakeSource::new(Reply::Gated("keys-v1"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));
    let callers = spawn_callers(&jwks, 3, Want::AfterMiss);
    let_every_task_run().await;
    for caller in callers {
        caller.abort();
        let _ = caller.await;
    }
    source.gate.add_permits(1);
    let_every_task_run().await;
    // Served from the cache without waiting: `cached_fresh` never fetches.
    assert_eq!(
        jwks.cached_fresh().as_deref().map(String::as_str),
        Some("keys-v1")
    );
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn concurrent_misses_share_one_refetch() {
    let source = FakeSource::new(Reply::Body("keys-v1"));
    let clock = ManualClock::new();
    let jwks = Arc::new(cache(&source, &clock));
    key_set(&jwks).await.expect("first fetch");
    source.answer(Reply::Gated("keys-v2"));
    clock.advance(MINUTE);

    let callers = spawn_callers(&jwks, 30, Want::AfterMiss);
    let_every_task_run().await;
    source.gate.add_permits(1);
    for caller in callers {
        assert_eq!(
            *caller.await.expect("caller task").expect("key set"),
            "keys-v2"
        );
    }
    assert_eq!(source.fetches(), 2);
}
