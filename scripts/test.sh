#!/usr/bin/env bash
# The one test command: on a fresh clone with Rust, Python 3 and Node.js, it
# provisions the pinned interop peers (PyJWT, and jose and the Huddle01 SDK
# from tests/interop/package-lock.json), then runs every test of the
# workspace with every feature. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt
npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error

cargo test --workspace --all-features "$@"
