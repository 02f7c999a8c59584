//! The groups of the `tokens` benchmark, timed interleaved: every round runs
//! a short batch of each function of a group in turn (starting with a
//! different one each round), and the ratios are taken within the round. On
//! a machine whose speed changes from one second to the next (shared cores,
//! other builds, a busy host), the medians of those per-round ratios hold
//! still where criterion's one-function-after-another medians can swing by
//! 20 %.
//!
//! Run with `cargo bench -p huddle-auth --bench ratios`; prints a markdown
//! table: `hs256`, `eddsa`, `es256` and `rs256` (RSA-2048) mint and verify,
//! and `huddle01_verify` (a token as Huddle01's infra issues it: RSA-4096,
//! no `kid`, `iss` Huddle01, through `TokenProfile::Huddle01`). `ROUNDS=n` sets the number of rounds (default 301). As in
//! `tokens`, times are the thread's CPU time (`HUDDLE_BENCH_CLOCK=wall` for
//! wall-clock time) and each round runs at its own stack depth. Without
//! `--bench` (as under `cargo test`), each function runs once, as a smoke
//! test.
//!
//! With `--all-features` (feature `hosted`), a second table holds the rows
//! of the remote key set, each led by its ratio: `remote_verify` (a
//! verifier over a warm remote JWKS cache against one holding the same
//! JWKS) and `two_threads` (one shared remote-backed verifier on two
//! threads against one, wall clock, judged against the static verifier's
//! own speed-up in the same run).
//!
//! With feature `webhooks`, a row `webhook_receive`: the webhook receiver on
//! a ~600-byte `peer:joined` against the floor of `benches/webhook`.

#[cfg(feature = "hosted")]
mod remote;
mod support;
#[cfg(feature = "webhooks")]
mod webhook;

use std::hint::black_box;
use std::time::Duration;

use support::{Clock, Contest, Huddle01Contest};

/// A batch of calls lasts about this long.
const BATCH: Duration = Duration::from_millis(2);

/// The largest ratio of the remote-backed verifier to the static one.
#[cfg(feature = "hosted")]
const REMOTE_TARGET: f64 = 1.05;

/// The smallest speed-up of verifying on two threads over one, as a share
/// of the control's: the static verifier's own speed-up in the same run,
/// which is all a host without two idle cores gives anyone.
#[cfg(feature = "hosted")]
const TWO_THREADS_TARGET: f64 = 0.95;

/// Verifications per throughput batch: some 30 ms of RS256 on one thread.
#[cfg(feature = "hosted")]
const THROUGHPUT_CALLS: u32 = 200;

/// The targets of a group: the largest ratio to `jsonwebtoken`, and to the
/// floor where there is one. Every asymmetric group, mint or verify, has
/// raw aws-lc-rs as its floor and `jsonwebtoken` on the same library.
fn targets(group: &str) -> (f64, Option<f64>) {
    match group {
        "hs256_mint" => (0.85, Some(1.15)),
        "hs256_verify" => (0.60, Some(1.30)),
        _ => (1.00, Some(1.05)),
    }
}

/// Per-call time of `calls` calls of `f`, at `depth`.
fn time_batch(clock: Clock, f: &dyn Fn(), calls: u32, depth: u32) -> f64 {
    let time = clock.time_at_depth(f, u64::from(calls), depth);
    time.as_nanos() as f64 / f64::from(calls)
}

/// How many calls of `f` make a batch, after warming it up.
fn calibrate(f: &dyn Fn()) -> u32 {
    let warm = cpu_time::ThreadTime::now();
    let mut calls = 0u32;
    while warm.elapsed() < BATCH * 20 {
        f();
        calls += 1;
    }
    let per_call = (BATCH * 20).as_nanos() as f64 / f64::from(calls);
    (BATCH.as_nanos() as f64 / per_call).ceil().max(1.0) as u32
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Per-call times of each function over `rounds` interleaved rounds: every
/// round times a batch of each in turn, starting with a different one.
fn interleave(clock: Clock, functions: &[&dyn Fn()], rounds: usize) -> Vec<Vec<f64>> {
    let calls: Vec<u32> = functions.iter().map(|f| calibrate(*f)).collect();
    let mut times = vec![Vec::with_capacity(rounds); functions.len()];
    for round in 0..rounds {
        let depth = support::depth(round as u32);
        for turn in 0..functions.len() {
            let i = (round + turn) % functions.len();
            times[i].push(time_batch(clock, functions[i], calls[i], depth));
        }
    }
    times
}

/// The median of the per-round ratios of `ours` to `theirs`.
fn median_ratio(ours: &[f64], theirs: &[f64]) -> f64 {
    median(ours.iter().zip(theirs).map(|(o, t)| o / t).collect())
}

fn micros(times: &[f64]) -> String {
    format!("{:.3} µs", median(times.to_vec()) / 1000.0)
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**missed**"
    }
}

/// Runs one group and prints its table row: median times, and the medians
/// of the per-round ratios of `huddle-auth` to the other two.
fn group(clock: Clock, name: &str, functions: [&dyn Fn(); 3], rounds: usize) {
    let times = interleave(clock, &functions, rounds);
    let (to_jwt, to_floor) = (
        median_ratio(&times[0], &times[1]),
        median_ratio(&times[0], &times[2]),
    );
    let (target_jwt, target_floor) = targets(name);
    let met = to_jwt <= target_jwt && target_floor.is_none_or(|t| to_floor <= t);
    let floor_cell = match target_floor {
        Some(target) => format!("{to_floor:.2}x (≤ {target:.2}x)"),
        None => format!("{to_floor:.2}x"),
    };
    let (ours, jwt, floor) = (micros(&times[0]), micros(&times[1]), micros(&times[2]));
    println!(
        "| {name} | {ours} | {jwt} | {floor} | {to_jwt:.2}x (≤ {target_jwt:.2}x) | {floor_cell} | {} |",
        verdict(met)
    );
}

fn main() {
    let contests = Contest::all();
    let huddle01 = Huddle01Contest::new();
    if !std::env::args().any(|arg| arg == "--bench") {
        black_box((
            huddle01.verify_ours(),
            huddle01.verify_jwt(),
            huddle01.verify_floor(),
        ));
        for contest in &contests {
            black_box((
                contest.mint_ours(),
                contest.mint_jwt(),
                contest.mint_floor(),
            ));
            black_box((
                contest.verify_ours(),
                contest.verify_jwt(),
                contest.verify_floor(),
            ));
        }
        #[cfg(feature = "hosted")]
        {
            let remote = remote::RemoteContest::new();
            black_box((remote.verify_remote(), remote.verify_held()));
            black_box((remote.remote_on_threads(2, 2), remote.held_on_threads(2, 2)));
        }
        #[cfg(feature = "webhooks")]
        {
            let webhooks = webhook::WebhookContest::new();
            black_box((webhooks.receive(), webhooks.floor()));
        }
        println!("ratios: every function ran once (pass --bench to measure)");
        return;
    }
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
        .unwrap_or(301)
        .max(1);
    let clock = Clock::from_env();
    let kind = match clock {
        Clock::ThreadCpu => "thread CPU time",
        Clock::Wall => "wall-clock time",
    };
    println!("Medians over {rounds} interleaved rounds ({kind}):\n");
    println!(
        "| group | huddle-auth | jsonwebtoken | floor | huddle-auth / jsonwebtoken (target) \
         | huddle-auth / floor (target) | targets |"
    );
    println!("|---|---|---|---|---|---|---|");
    for contest in &contests {
        let c = contest;
        group(
            clock,
            &format!("{}_mint", c.prefix),
            [
                &|| drop(black_box(c.mint_ours())),
                &|| drop(black_box(c.mint_jwt())),
                &|| drop(black_box(c.mint_floor())),
            ],
            rounds,
        );
        group(
            clock,
            &format!("{}_verify", c.prefix),
            [
                &|| drop(black_box(c.verify_ours())),
                &|| drop(black_box(c.verify_jwt())),
                &|| drop(black_box(c.verify_floor())),
            ],
            rounds,
        );
    }
    group(
        clock,
        "huddle01_verify",
        [
            &|| drop(black_box(huddle01.verify_ours())),
            &|| drop(black_box(huddle01.verify_jwt())),
            &|| drop(black_box(huddle01.verify_floor())),
        ],
        rounds,
    );
    remote_rows(clock, rounds);
    webhook_rows(clock, rounds);
}

/// The largest ratio of the webhook receiver to its floor.
#[cfg(feature = "webhooks")]
const WEBHOOK_TARGET: f64 = 1.3;

/// The row of the webhook receiver against its floor, interleaved as above.
#[cfg(feature = "webhooks")]
fn webhook_rows(clock: Clock, rounds: usize) {
    let contest = webhook::WebhookContest::new();
    let times = interleave(
        clock,
        &[&|| drop(black_box(contest.receive())), &|| {
            black_box(contest.floor());
        }],
        rounds,
    );
    let ratio = median_ratio(&times[0], &times[1]);
    println!("\nThe webhook receiver (feature `webhooks`):\n");
    println!("| row | ratio (target) | measured | against | targets |");
    println!("|---|---|---|---|---|");
    println!(
        "| webhook_receive | {ratio:.2}x (≤ {WEBHOOK_TARGET:.2}x) | receive of a {}-byte peer:joined {} \
         | floor (serde_json Value, serialize, HMAC-SHA256) {} | {} |",
        contest.body_len(),
        micros(&times[0]),
        micros(&times[1]),
        verdict(ratio <= WEBHOOK_TARGET)
    );
}

#[cfg(not(feature = "webhooks"))]
fn webhook_rows(_: Clock, _: usize) {
    println!("\n(webhook_receive needs `--all-features`: feature `webhooks`)");
}

/// The rows of the remote key set, each led by its ratio: the remote-backed
/// verifier against the static one (same RS256 token, interleaved as
/// above), and two threads against one on a shared remote-backed verifier
/// (wall-clock time, whatever the clock: CPU time cannot show threads
/// waiting on each other), beside the same speed-up of the static verifier,
/// which no cache can slow: on a host without two idle cores both fall
/// short of 2x alike, and only a gap between them is the cache's.
#[cfg(feature = "hosted")]
fn remote_rows(clock: Clock, rounds: usize) {
    let contest = remote::RemoteContest::new();
    println!("\nThe remote key set (feature `hosted`), each row led by its ratio:\n");
    println!("| row | ratio (target) | measured | against | targets |");
    println!("|---|---|---|---|---|");
    let times = interleave(
        clock,
        &[&|| drop(black_box(contest.verify_remote())), &|| {
            drop(black_box(contest.verify_held()))
        }],
        rounds,
    );
    let ratio = median_ratio(&times[0], &times[1]);
    println!(
        "| remote_verify | {ratio:.2}x (≤ {REMOTE_TARGET:.2}x) | remote-backed {} | static {} | {} |",
        micros(&times[0]),
        micros(&times[1]),
        verdict(ratio <= REMOTE_TARGET)
    );

    // Each round times, in a rotating order, the remote-backed verifier and
    // the static one (the control: what the machine gives a second thread)
    // on one thread and on two.
    let runs: [&dyn Fn() -> Duration; 4] = [
        &|| contest.remote_on_threads(1, THROUGHPUT_CALLS),
        &|| contest.remote_on_threads(2, THROUGHPUT_CALLS),
        &|| contest.held_on_threads(1, THROUGHPUT_CALLS),
        &|| contest.held_on_threads(2, THROUGHPUT_CALLS),
    ];
    let mut walls: [Vec<f64>; 4] = Default::default();
    for round in 0..rounds {
        for turn in 0..runs.len() {
            let i = (round + turn) % runs.len();
            walls[i].push(runs[i]().as_secs_f64());
        }
    }
    let speedup = median_ratio(&walls[0], &walls[1]);
    let control = median_ratio(&walls[2], &walls[3]);
    let ms = |times: &[f64]| format!("{:.2} ms", median(times.to_vec()) * 1e3);
    println!(
        "| two_threads | {speedup:.2}x (≥ {TWO_THREADS_TARGET:.2} × {control:.2}x) | remote-backed, \
         {THROUGHPUT_CALLS} calls: 1 thread {}, 2 threads {} | static verifier: {control:.2}x | {} |",
        ms(&walls[0]),
        ms(&walls[1]),
        verdict(speedup >= TWO_THREADS_TARGET * control)
    );
}

#[cfg(not(feature = "hosted"))]
fn remote_rows(_: Clock, _: usize) {
    println!("\n(remote_verify and two_threads need `--all-features`: feature `hosted`)");
}
