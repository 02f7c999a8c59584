//! Where the cache reads the time, so tests can move it without sleeping.

use std::fmt::Debug;
use std::time::Instant;

/// A monotonic clock for the ages of a [`RemoteJwks`](crate::RemoteJwks)
/// cache. Only cache ages come from it; the fetch timeout is Tokio's timer.
///
/// ```
/// use std::sync::Mutex;
/// use std::time::{Duration, Instant};
/// use huddle_auth::Clock;
///
/// /// A clock that tests move by hand.
/// #[derive(Debug)]
/// struct ManualClock(Mutex<Instant>);
///
/// impl Clock for ManualClock {
///     fn now(&self) -> Instant {
///         *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
///     }
/// }
///
/// let start = Instant::now();
/// let clock = ManualClock(Mutex::new(start));
/// *clock.0.lock().unwrap() += Duration::from_secs(60);
/// assert_eq!(clock.now() - start, Duration::from_secs(60));
/// ```
pub trait Clock: Debug + Send + Sync + 'static {
    /// The current instant; never goes backwards.
    fn now(&self) -> Instant;
}

/// The system's monotonic clock ([`Instant::now`]), the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A shared clock, so a test can keep a handle on the clock it moves.
impl<C: Clock> Clock for std::sync::Arc<C> {
    fn now(&self) -> Instant {
        C::now(self)
    }
}
