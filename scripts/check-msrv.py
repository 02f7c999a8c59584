#!/usr/bin/env python3
"""Fails if a dependency of a published crate needs a newer Rust than ours.

Reads `cargo metadata` with every feature on, walks the resolved graph from
the three published crates along normal and build dependencies (dev
dependencies are not built by users), and compares the highest
`rust_version` found with the `rust-version` the workspace declares.
Prints the crates that set the bar, so a bump names its cause.
"""
import json
import subprocess
import sys

PUBLISHED = ["huddle-auth-core", "huddle-auth-macros", "huddle-auth"]


def version_tuple(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    roots = [p["id"] for p in metadata["packages"] if p["name"] in PUBLISHED and p["source"] is None]
    declared = {packages[r]["rust_version"] for r in roots}
    if len(declared) != 1 or None in declared:
        sys.exit(f"check-msrv: the published crates declare rust-version {sorted(map(str, declared))}; expected one value")
    declared = declared.pop()

    seen, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for dep in nodes[node]["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if kinds & {None, "build"}:
                stack.append(dep["pkg"])

    required = [
        (version_tuple(packages[p]["rust_version"]), packages[p]["name"], packages[p]["version"])
        for p in seen
        if p not in roots and packages[p].get("rust_version")
    ]
    highest = max(required)[0] if required else (1, 0, 0)
    setters = sorted(f"{name} {version}" for v, name, version in required if v == highest)
    highest_text = ".".join(map(str, highest[:2] if highest[2] == 0 else highest))
    print(f"check-msrv: declared rust-version {declared}; highest among {len(seen) - len(roots)} dependencies: {highest_text} ({', '.join(setters)})")
    if highest > version_tuple(declared):
        sys.exit(f"check-msrv: rust-version {declared} is older than {highest_text}, which the dependencies need")


if __name__ == "__main__":
    main()
