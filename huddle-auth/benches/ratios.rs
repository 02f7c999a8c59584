//! The groups of the `tokens` benchmark, timed interleaved: every round runs
//! a short batch of each function of a group in turn (starting with a
//! different one each round), and the ratios are taken within the round. On
//! a machine whose speed changes from one second to the next (shared cores,
//! other builds, a busy host), the medians of those per-round ratios hold
//! still where criterion's one-function-after-another medians can swing by
//! 20 %.
//!
//! Run with `cargo bench -p huddle-auth --bench ratios`; prints a markdown
//! table. `ROUNDS=n` sets the number of rounds (default 301). As in
//! `tokens`, times are the thread's CPU time (`HUDDLE_BENCH_CLOCK=wall` for
//! wall-clock time) and each round runs at its own stack depth. Without
//! `--bench` (as under `cargo test`), each function runs once, as a smoke
//! test.

mod support;

use std::hint::black_box;
use std::time::Duration;

use support::{Clock, Contest};

/// A batch of calls lasts about this long.
const BATCH: Duration = Duration::from_millis(2);

/// The targets of a group: the largest ratio to `jsonwebtoken`, and to the
/// floor where there is one (HS256 only).
fn targets(group: &str) -> (f64, Option<f64>) {
    match group {
        "hs256_mint" => (0.85, Some(1.15)),
        "hs256_verify" => (0.60, Some(1.30)),
        "eddsa_mint" => (0.50, None),
        "es256_mint" => (0.80, None),
        _ => (1.00, None),
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

/// Runs one group and prints its table row: median times, and the medians
/// of the per-round ratios of `huddle-auth` to the other two.
fn group(clock: Clock, name: &str, functions: [&dyn Fn(); 3], rounds: usize) {
    let calls = functions.map(calibrate);
    let mut times: [Vec<f64>; 3] = Default::default();
    for round in 0..rounds {
        let depth = support::depth(round as u32);
        for turn in 0..3 {
            let i = (round + turn) % 3;
            times[i].push(time_batch(clock, functions[i], calls[i], depth));
        }
    }
    let ratio = |other: usize| {
        median(
            times[0]
                .iter()
                .zip(&times[other])
                .map(|(ours, theirs)| ours / theirs)
                .collect(),
        )
    };
    let (to_jwt, to_floor) = (ratio(1), ratio(2));
    let (target_jwt, target_floor) = targets(name);
    let met = to_jwt <= target_jwt && target_floor.is_none_or(|t| to_floor <= t);
    let floor_cell = match target_floor {
        Some(target) => format!("{to_floor:.2}x (≤ {target:.2}x)"),
        None => format!("{to_floor:.2}x"),
    };
    let [ours, jwt, floor] = times.map(|t| format!("{:.3} µs", median(t) / 1000.0));
    println!(
        "| {name} | {ours} | {jwt} | {floor} | {to_jwt:.2}x (≤ {target_jwt:.2}x) | {floor_cell} | {} |",
        if met { "met" } else { "**missed**" }
    );
}

fn main() {
    let contests = Contest::all();
    if !std::env::args().any(|arg| arg == "--bench") {
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
}
