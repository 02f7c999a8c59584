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
async fn a_cancelled_fetch_leaves_the_next_caller_to_fetch() {
    let source = FakeSource::new(Reply::Gated("keys-v1"));
    let jwks = Arc::new(cache(&source, &ManualClock::new()));

    let first = spawn_callers(&jwks, 1, Want::Fresh)
        .pop()
        .expect("one caller");
    let_every_task_run().await;
    assert_eq!(source.fetches(), 1);
    first.abort();
    assert!(first.await.is_err_and(|error| error.is_cancelled()));

    source.answer(Reply::Body("keys-v2"));
    assert_eq!(key_set(&jwks).await, Ok("keys-v2".to_owned()));
    assert_eq!(source.fetches(), 2);
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
