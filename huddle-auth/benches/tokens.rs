//! Minting and verifying tokens: this crate's full public path against raw
//! `jsonwebtoken` on an equivalent claims struct, and against the floor
//! (serde_json + base64url + the MAC or signature with a key prepared once).
//!
//! Run with `cargo bench -p huddle-auth --bench tokens`; results land in
//! `target/criterion/<group>/<function>/`, and `scripts/bench-table.sh`
//! turns them into the README table.
//!
//! Times are the benchmark thread's CPU time by default: on a machine shared
//! with other work, time spent waiting for a core is not the code's. Set
//! `HUDDLE_BENCH_CLOCK=wall` to measure wall-clock time instead. Each sample
//! runs at its own stack depth, so that no function is timed in one lucky or
//! unlucky memory layout only (see `support::Clock::time_at_depth`).

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkGroup, Criterion};

use support::{Clock, Contest, Huddle01Contest};

fn configure<'c, M: Measurement>(c: &'c mut Criterion<M>, name: &str) -> BenchmarkGroup<'c, M> {
    let mut group = c.benchmark_group(name);
    group
        .warm_up_time(Duration::from_millis(700))
        .measurement_time(Duration::from_secs(2))
        .sample_size(60);
    group
}

/// One function of a group: each criterion sample is one batch, timed on
/// `clock` at its own stack depth.
fn function<M: Measurement<Value = Duration>, R>(
    group: &mut BenchmarkGroup<'_, M>,
    name: &str,
    clock: Clock,
    f: impl Fn() -> R,
) {
    let mut batch = 0;
    group.bench_function(name, |b| {
        b.iter_custom(|calls| {
            batch += 1;
            clock.time_at_depth(&|| drop(black_box(f())), calls, support::depth(batch))
        })
    });
}

fn all<M: Measurement<Value = Duration>>(c: &mut Criterion<M>, clock: Clock) {
    for contest in Contest::all() {
        let mut group = configure(c, &format!("{}_mint", contest.prefix));
        function(&mut group, "huddle-auth", clock, || contest.mint_ours());
        function(&mut group, "jsonwebtoken", clock, || contest.mint_jwt());
        function(&mut group, "floor", clock, || contest.mint_floor());
        group.finish();

        let mut group = configure(c, &format!("{}_verify", contest.prefix));
        function(&mut group, "huddle-auth", clock, || contest.verify_ours());
        function(&mut group, "jsonwebtoken", clock, || contest.verify_jwt());
        function(&mut group, "floor", clock, || contest.verify_floor());
        group.finish();
    }
    let huddle01 = Huddle01Contest::new();
    let mut group = configure(c, "huddle01_verify");
    function(&mut group, "huddle-auth", clock, || huddle01.verify_ours());
    function(&mut group, "jsonwebtoken", clock, || huddle01.verify_jwt());
    function(&mut group, "floor", clock, || huddle01.verify_floor());
    group.finish();
}

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), which
/// criterion's own routines run on; reported like wall-clock time.
struct ThreadCpuTime {
    wall: WallTime,
}

impl Measurement for ThreadCpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = Duration;

    fn start(&self) -> cpu_time::ThreadTime {
        cpu_time::ThreadTime::now()
    }

    fn end(&self, start: cpu_time::ThreadTime) -> Duration {
        start.elapsed()
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

fn main() {
    match Clock::from_env() {
        Clock::Wall => all(&mut Criterion::default().configure_from_args(), Clock::Wall),
        Clock::ThreadCpu => {
            let cpu = ThreadCpuTime { wall: WallTime };
            let mut criterion = Criterion::default()
                .with_measurement(cpu)
                .configure_from_args();
            all(&mut criterion, Clock::ThreadCpu);
        }
    }
    Criterion::default().configure_from_args().final_summary();
}
