#!/usr/bin/env bash
# The README tables of the token benchmarks.
#
# Usage:  scripts/bench-table.sh --ratios [--write]
#   runs `cargo bench -p huddle-auth --all-features --bench ratios` (under
#   `nice -n -20` where allowed) and prints its two tables, the measurement
#   of record; with --write, also puts them in README.md between the
#   `<!-- bench:ratios -->` markers.
#
# Usage:  scripts/bench-table.sh [--run] [CRITERION_DIR]
#   criterion's medians for every group of `huddle-auth/benches/tokens.rs`,
#   and each ratio to `jsonwebtoken` and to the floor against the targets.
#   --run           first run `cargo bench -p huddle-auth --bench tokens`
#   CRITERION_DIR   default: ${CARGO_TARGET_DIR:-target}/criterion
# Ratios compare medians of one run; absolute times depend on the machine
# and on what else it is doing. criterion times one function after another,
# so on a host whose speed drifts (shared cores) a ratio can swing by 20 %;
# `cargo bench -p huddle-auth --bench ratios` times the functions of each
# group interleaved and prints the same table from per-round ratios.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "--ratios" ]]; then
    nice=()
    if nice -n -20 true 2>/dev/null; then
        nice=(nice -n -20)
    fi
    tables="$(cd "$repo" && "${nice[@]}" cargo bench -q -p huddle-auth --all-features --bench ratios)"
    printf '%s\n' "$tables"
    if [[ "${2:-}" == "--write" ]]; then
        TABLES="$tables" python3 - "$repo/README.md" <<'PY'
import os
import sys

path = sys.argv[1]
with open(path) as f:
    text = f.read()
start, end = "<!-- bench:ratios -->\n", "\n<!-- /bench:ratios -->"
if start not in text or end not in text:
    sys.exit(f"{path}: no bench:ratios markers")
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
with open(path, "w") as f:
    f.write(head + start + os.environ["TABLES"].strip() + end + tail)
PY
    fi
    exit 0
fi
if [[ "${1:-}" == "--run" ]]; then
    shift
    (cd "$repo" && cargo bench -p huddle-auth --bench tokens)
fi
target="${CARGO_TARGET_DIR:-$repo/target}"
dir="${1:-$target/criterion}"

python3 - "$dir" <<'PY'
import json
import os
import sys

root = sys.argv[1]
# group -> (max ratio to jsonwebtoken, max ratio to the floor), as in
# huddle-auth/benches/ratios.rs: every asymmetric group has raw aws-lc-rs
# as its floor.
TARGETS = {
    "hs256_mint": (0.85, 1.15),
    "hs256_verify": (0.60, 1.30),
    "eddsa_mint": (1.00, 1.05),
    "eddsa_verify": (1.00, 1.05),
    "es256_mint": (1.00, 1.05),
    "es256_verify": (1.00, 1.05),
    "rs256_mint": (1.00, 1.05),
    "rs256_verify": (1.00, 1.05),
    "huddle01_verify": (1.00, 1.05),
}

def median_ns(group, function):
    path = os.path.join(root, group, function, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None

def show(ns):
    if ns is None:
        return "–"
    us = ns / 1000
    return f"{us:.3g} µs" if us < 100 else f"{us:.0f} µs"

print("| group | huddle-auth | jsonwebtoken | floor | huddle-auth / jsonwebtoken (target) "
      "| huddle-auth / floor (target) | targets |")
print("|---|---|---|---|---|---|---|")
missing = []
for group, (to_jwt, to_floor) in TARGETS.items():
    ours, jwt, floor = (median_ns(group, f) for f in ("huddle-auth", "jsonwebtoken", "floor"))
    if ours is None or jwt is None:
        missing.append(group)
        continue
    met = ours / jwt <= to_jwt
    cells = [group, show(ours), show(jwt), show(floor), f"{ours / jwt:.2f}x (≤ {to_jwt:.2f}x)"]
    if floor is None:
        cells.append("–")
    elif to_floor is None:
        cells.append(f"{ours / floor:.2f}x")
    else:
        met = met and ours / floor <= to_floor
        cells.append(f"{ours / floor:.2f}x (≤ {to_floor:.2f}x)")
    cells.append("met" if met else "**missed**")
    print("| " + " | ".join(cells) + " |")
if missing:
    sys.exit(f"no criterion results for {', '.join(missing)} under {root}")
PY
