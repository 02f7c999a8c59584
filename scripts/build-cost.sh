#!/usr/bin/env bash
# The build cost of `huddle-auth`: wall-clock seconds of a clean
# `cargo build -p huddle-auth` (default features, dev profile) of another
# checkout (the "before", e.g. `main`) and of this one, beside a clean build
# of a scratch crate that depends on `jsonwebtoken` 12 with `aws_lc_rs` alone
# (the least a JWT library on aws-lc costs). The target of the issue: this
# checkout at most 1.3x the `jsonwebtoken` build.
#
# Usage:  scripts/build-cost.sh [BEFORE_CHECKOUT]
#   BEFORE_CHECKOUT  a checkout to time first (default: none, two rows only)
# Each build gets a fresh target directory under a temporary directory,
# which is deleted afterwards (an aws-lc build takes some 200 MB). The three
# builds run one after another, close together; on a host shared with other
# work, say how loaded it was (the load average is printed).
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

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs" >&2
if [[ -n "$before" ]]; then
    before_s="$(clean_build "$before" before -p huddle-auth)"
fi
after_s="$(clean_build "$repo" after -p huddle-auth)"
jwt_s="$(clean_build "$work/jwt" jwt)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo "| clean \`cargo build\` (dev profile) | seconds | / jsonwebtoken 12 (\`aws_lc_rs\`) |"
echo "|---|---|---|"
ratio() { python3 -c "print(f'{$1 / $jwt_s:.2f}x')"; }
if [[ -n "$before" ]]; then
    echo "| \`-p huddle-auth\`, before ($before) | $before_s | $(ratio "$before_s") |"
fi
echo "| \`-p huddle-auth\`, this checkout | $after_s | $(ratio "$after_s") (target ≤ 1.30x) |"
echo "| \`jsonwebtoken\` 12 with \`aws_lc_rs\` alone | $jwt_s | 1.00x |"
