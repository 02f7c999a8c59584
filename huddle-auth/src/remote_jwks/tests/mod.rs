//! The cache's behaviour over a scripted source and a clock moved by hand:
//! no test sleeps, and timeouts run on Tokio's paused time. This file holds
//! the fakes; the tests are in the modules below, by subject.

mod failures;
mod single_flight;
mod timings;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

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

#[derive(Clone, Copy)]
enum Want {
    Fresh,
    AfterMiss,
}

/// Starts `count` tasks that each ask for a key set.
fn spawn_callers(
    jwks: &Arc<RemoteJwks<String>>,
    count: usize,
    want: Want,
) -> Vec<JoinHandle<Result<Arc<String>, JwksError>>> {
    (0..count)
        .map(|_| {
            let jwks = Arc::clone(jwks);
            tokio::spawn(async move {
                match want {
                    Want::Fresh => jwks.key_set().await,
                    Want::AfterMiss => jwks.key_set_after_miss().await,
                }
            })
        })
        .collect()
}

/// On a single-threaded runtime, runs every spawned task until it waits.
async fn let_every_task_run() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
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
