#!/usr/bin/env bash
# Compile-time cost of `role!`: `cargo check` of a crate declaring 100 roles
# with `role!` against the same 100 roles written by hand (struct, derives,
# `StaticRole` impl, the capability markers and doc line the macro adds), each
# timed alone after every dependency is built. Also times a clean build of
# `huddle-auth-macros` (with its dependencies, and the crate alone).
#
# Usage, from anywhere:  scripts/bench-role-compile.sh [RUNS]   (default 10)
# Needs cargo and python3. Works in a temporary directory it removes; set
# KEEP=1 to keep it. Runs of the two crates alternate, so a machine busy with
# other work slows both alike; the ratio is the median of the per-pair ratios.
set -euo pipefail

runs="${1:-10}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/role-compile.XXXXXX")"
if [[ "${KEEP:-0}" != 1 ]]; then
    trap 'rm -rf "$work"' EXIT
fi
export CARGO_TARGET_DIR="$work/target"
# A compiler cache would time the cache, not the compiler.
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

# A snapshot of the workspace, so that touching the macro crate to rebuild it
# never disturbs builds of the repository itself.
snapshot="$work/huddle-auth"
mkdir -p "$snapshot"
tar -C "$repo" --exclude=./target --exclude=./.git -cf - . | tar -C "$snapshot" -xf -

# The bench workspace sits beside the snapshot, not above it: a path
# dependency inside a workspace's directory would become its member.
bench="$work/bench"
mkdir -p "$bench"

python3 - "$bench" "$snapshot" <<'PY'
import os
import sys

work, repo = sys.argv[1], sys.argv[2]
COUNT = 100

# The predefined roles' permissions, as in huddle-auth-core (`Role::permissions`).
DEFAULT = dict(admin=False, canConsume=True, canProduce=True,
               cam=True, mic=True, screen=True,
               canSendData=True, canRecvData=True, canUpdateMetadata=True)
NONE = {k: False for k in DEFAULT}
BASES = {
    "Guest": dict(DEFAULT),
    "Speaker": dict(DEFAULT, cam=False),
    "Bot": dict(NONE, canConsume=True),
}
FLAGS = ["admin", "canConsume", "canProduce", "canSendData", "canRecvData", "canUpdateMetadata"]
# Capability markers in the order of `Capability::ALL`, with what grants each.
MARKERS = [
    ("Admin", lambda p: p["admin"]),
    ("Consume", lambda p: p["canConsume"]),
    ("Produce", lambda p: p["canProduce"]),
    ("ProduceCam", lambda p: p["canProduce"] and p["cam"]),
    ("ProduceMic", lambda p: p["canProduce"] and p["mic"]),
    ("ProduceScreen", lambda p: p["canProduce"] and p["screen"]),
    ("SendData", lambda p: p["canSendData"]),
    ("RecvData", lambda p: p["canRecvData"]),
    ("UpdateMetadata", lambda p: p["canUpdateMetadata"]),
]

def snake(name):
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

def rust(b):
    return "true" if b else "false"

def role(i):
    """(base or None, the keys written in role!, the merged permissions)."""
    kind = i % 4
    if kind == 0:
        produce = i % 3 != 0
        p = dict(admin=i % 7 == 0, canConsume=True, canProduce=produce,
                 cam=produce and i % 2 == 0, mic=produce, screen=produce and i % 5 == 0,
                 canSendData=i % 2 == 1, canRecvData=True, canUpdateMetadata=i % 4 == 0)
        return None, p, p
    base, given = {
        1: ("Guest", dict(cam=False, canUpdateMetadata=False)),
        2: ("Speaker", dict(canSendData=False)),
        3: ("Bot", dict(canRecvData=True, canSendData=i % 8 == 3)),
    }[kind]
    return base, given, dict(BASES[base], **given)

def body(given):
    lines = [f"        {k}: {rust(given[k])}," for k in FLAGS if k in given]
    sources = [f"{s}: {rust(given[s])}" for s in ("cam", "mic", "screen") if s in given]
    if sources:
        lines.append("        canProduceSources: { " + ", ".join(sources) + " },")
    return "\n".join(lines)

macro, hand, compare = [], [], []
for i in range(COUNT):
    name, wire = f"Role{i:03}", f"role{i:03}"
    base, given, p = role(i)
    granted = [m for m, grants in MARKERS if grants(p)]
    doc = f"/// Benchmark role number {i}."
    macro.append(f"    {doc}\n    pub struct {name}{': ' + base if base else ''} {{\n{body(given)}\n    }}")
    summary = ", ".join(f"`can::{m}`" for m in granted) or "no capability"
    impls = "\n".join(f"    impl ::huddle_auth::can::{m} for {name} {{}}" for m in granted)
    hand.append(f"""{doc}
///
/// Role `{wire}` (declared with `role!`); grants {summary}.
#[derive(
    ::core::fmt::Debug,
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::default::Default,
    ::core::cmp::PartialEq,
    ::core::cmp::Eq,
    ::core::hash::Hash,
)]
pub struct {name};

const _: () = {{
    impl ::huddle_auth::StaticRole for {name} {{
        const NAME: &'static ::core::primitive::str = "{wire}";
        const PERMISSIONS: ::huddle_auth::Permissions = ::huddle_auth::Permissions {{
            admin: {rust(p['admin'])},
            can_consume: {rust(p['canConsume'])},
            can_produce: {rust(p['canProduce'])},
            can_produce_sources: ::huddle_auth::ProduceSources {{
                cam: {rust(p['cam'])},
                mic: {rust(p['mic'])},
                screen: {rust(p['screen'])},
            }},
            can_send_data: {rust(p['canSendData'])},
            can_recv_data: {rust(p['canRecvData'])},
            can_update_metadata: {rust(p['canUpdateMetadata'])},
        }};
    }}
{impls}
}};
""")
    checks = "".join(f"    has_{snake(m)}::<role_macro::{name}>();\n" for m in granted)
    compare.append(f"""    same::<role_macro::{name}, hand_written::{name}>();
{checks}""")

def crate(name, deps, src, kind="lib"):
    os.makedirs(f"{work}/{name}/src", exist_ok=True)
    with open(f"{work}/{name}/Cargo.toml", "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n{deps}')
    with open(f"{work}/{name}/src/{kind}.rs", "w") as f:
        f.write(src)

runtime = f'huddle-auth = {{ path = "{repo}/huddle-auth" }}\n'
crate("role_macro", runtime,
      "//! 100 roles declared with `role!`.\n#![deny(warnings)]\n\nhuddle_auth::role! {\n"
      + "\n\n".join(macro) + "\n}\n")
crate("hand_written", runtime,
      "//! The same 100 roles, written by hand.\n#![deny(warnings)]\n\n" + "\n".join(hand))
crate("compare", runtime + 'role_macro = { path = "../role_macro" }\nhand_written = { path = "../hand_written" }\n',
      """//! Checks that the two crates declare the same roles, so the timing compares like with like.
use huddle_auth::{can, StaticRole};

fn same<A: StaticRole, B: StaticRole>() {
    assert_eq!(A::NAME, B::NAME);
    assert_eq!(A::PERMISSIONS, B::PERMISSIONS, "{}", A::NAME);
}

// Each call compiles only if the role! type has a marker the hand-written one has.
""" + "".join(f"fn has_{snake(m)}<R: can::{m}>() {{}}\n" for m, _ in MARKERS) + """
fn main() {
""" + "".join(compare) + '    println!("the 100 roles agree");\n}\n', kind="main")
with open(f"{work}/Cargo.toml", "w") as f:
    f.write('[workspace]\nresolver = "2"\nmembers = ["role_macro", "hand_written", "compare"]\n')
PY

cp "$snapshot/Cargo.lock" "$bench/Cargo.lock"
cd "$bench"

echo "== building dependencies (not timed)"
cargo check -q -p role_macro -p hand_written
cargo run -q -p compare

now_ns() { date +%s%N; }
time_check() { # crate -> nanoseconds of one `cargo check` of that crate alone
    touch "$1/src/lib.rs"
    local start end
    start=$(now_ns)
    cargo check -q -p "$1"
    end=$(now_ns)
    echo $((end - start))
}
noop_ns() { # cargo's own cost when nothing needs checking
    local start end
    start=$(now_ns)
    cargo check -q -p hand_written
    end=$(now_ns)
    echo $((end - start))
}

echo "== timing cargo check, $runs alternating runs of each"
macro_times=() hand_times=() noop_times=()
for ((i = 0; i < runs; i++)); do
    macro_times+=("$(time_check role_macro)")
    hand_times+=("$(time_check hand_written)")
    noop_times+=("$(noop_ns)")
done

echo "== clean build of huddle-auth-macros (dev profile)"
macros_target="$work/target-macros"
start=$(now_ns)
CARGO_TARGET_DIR="$macros_target" cargo build -q --manifest-path "$snapshot/Cargo.toml" -p huddle-auth-macros
end=$(now_ns)
clean_ns=$((end - start))
macro_alone=()
for ((i = 0; i < 3; i++)); do
    touch "$snapshot/huddle-auth-macros/src/lib.rs"
    start=$(now_ns)
    CARGO_TARGET_DIR="$macros_target" cargo build -q --manifest-path "$snapshot/Cargo.toml" -p huddle-auth-macros
    end=$(now_ns)
    macro_alone+=($((end - start)))
done

python3 - "${macro_times[*]}" "${hand_times[*]}" "${noop_times[*]}" "$clean_ns" "${macro_alone[*]}" "$(nproc)" <<'PY'
import statistics
import sys

macro, hand, noop = ([int(x) for x in a.split()] for a in sys.argv[1:4])
clean = int(sys.argv[4])
alone = [int(x) for x in sys.argv[5].split()]
ms = lambda ns: ns / 1e6
m, h, n = (statistics.median(v) for v in (macro, hand, noop))
ratio = statistics.median(a / b for a, b in zip(macro, hand))
net = statistics.median((a - c) / (b - c) for a, b, c in zip(macro, hand, noop) if b > c)
print()
print(f"machine: {sys.argv[6]} cores; medians of {len(macro)} runs")
print(f"| what | median |")
print(f"|---|---|")
print(f"| `cargo check`, 100 `role!` roles | {ms(m):.0f} ms |")
print(f"| `cargo check`, 100 hand-written roles | {ms(h):.0f} ms |")
print(f"| `cargo check` with nothing to do (cargo's own cost) | {ms(n):.0f} ms |")
print(f"| ratio role! / hand-written (median of pairs) | {ratio:.2f}x |")
print(f"| same, net of cargo's own cost | {net:.2f}x |")
print(f"| clean build of `huddle-auth-macros` and its dependencies | {clean / 1e9:.1f} s |")
print(f"| rebuild of the `huddle-auth-macros` crate alone | {ms(statistics.median(alone)):.0f} ms |")
verdict = "meets" if ratio <= 1.2 else "MISSES"
print(f"\ntarget role! <= 1.2x hand-written: {verdict} ({ratio:.2f}x)")
PY
