#!/usr/bin/env bash
# The build cost of `huddle-auth`: wall-clock seconds of a clean
# `cargo build -p huddle-auth` (default features, dev profile) of another
# checkout (the "before", e.g. `main`) and of this one, beside a clean build
# of a scratch crate that depends on `jsonwebtoken` 12 with `aws_lc_rs` alone
# (the least a JWT library on aws-lc costs). The target of the issue: this
# checkout at most 1.3x the `jsonwebtoken` build.
#
# Usage:  [ROUNDS=3] scripts/build-cost.sh [BEFORE_CHECKOUT]
#   BEFORE_CHECKOUT  a checkout to time too (default: none, two rows only)
# Each build gets a fresh target directory under a temporary directory,
# which is deleted afterwards (an aws-lc build takes some 200 MB). The builds
# alternate, ROUNDS times, and each row is the median; the ratios are the
# medians of each round's ratio, so a host whose speed drifts between rounds
# (a shared VM) moves both sides of a ratio together. The load average is
# printed before and after.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before="${1:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/huddle-build-cost.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The scratch crate: jsonwebtoken with the aws-lc-rs backend, and nothing else.
mkdir -p "$work/jwt/src"
cat > "$work/jwt/Cargo.toml" <<'TOML'
[package]
name = "bc-jwt"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
jsonwebtoken = { version = "12", default-features = false, features = ["aws_lc_rs"] }

[workspace]
TOML
echo 'pub use jsonwebtoken;' > "$work/jwt/src/lib.rs"
(cd "$work/jwt" && cargo generate-lockfile -q)

# Seconds of a clean `cargo build ARGS...` in DIR.
clean_build() {
    local dir="$1" name="$2"
    shift 2
    local start end
    start="$(date +%s.%N)"
    (cd "$dir" && CARGO_TARGET_DIR="$work/target-$name" cargo build -q "$@")
    end="$(date +%s.%N)"
    rm -rf "$work/target-$name"
    python3 -c "print(f'{$end - $start:.1f}')"
}

rounds="${ROUNDS:-3}"
median() { python3 -c "import statistics, sys; print(f'{statistics.median(map(float, sys.argv[1:])):.1f}')" "$@"; }
median_ratio() { # NUMERATORS... -- DENOMINATORS...
    python3 - "$@" <<'PY'
import statistics, sys
args = sys.argv[1:]
cut = args.index("--")
num, den = args[:cut], args[cut + 1:]
print(f"{statistics.median(float(n) / float(d) for n, d in zip(num, den)):.2f}x")
PY
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $rounds rounds" >&2
before_s=() after_s=() jwt_s=()
for ((round = 1; round <= rounds; round++)); do
    if [[ -n "$before" ]]; then
        before_s+=("$(clean_build "$before" before -p huddle-auth)")
    fi
    after_s+=("$(clean_build "$repo" after -p huddle-auth)")
    jwt_s+=("$(clean_build "$work/jwt" jwt)")
    echo "round $round: before ${before_s[*]:-} | after ${after_s[*]} | jwt ${jwt_s[*]}" >&2
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo "| clean \`cargo build\` (dev profile), median of $rounds | seconds | / jsonwebtoken 12 (\`aws_lc_rs\`), median of the rounds' ratios |"
echo "|---|---|---|"
if [[ -n "$before" ]]; then
    echo "| \`-p huddle-auth\`, before ($before) | $(median "${before_s[@]}") | $(median_ratio "${before_s[@]}" -- "${jwt_s[@]}") |"
fi
echo "| \`-p huddle-auth\`, this checkout | $(median "${after_s[@]}") | $(median_ratio "${after_s[@]}" -- "${jwt_s[@]}") (target ≤ 1.30x) |"
echo "| \`jsonwebtoken\` 12 with \`aws_lc_rs\` alone | $(median "${jwt_s[@]}") | 1.00x |"
