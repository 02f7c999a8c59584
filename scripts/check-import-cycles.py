#!/usr/bin/env python3
"""Fails if two or more source files of a crate import each other.

A file is a module (`a/b.rs` and `a/b/mod.rs` are `a::b`; `lib.rs` and
`main.rs` the root). A file depends on another when it names a path into it
(`crate::a::b::X`, `super::b::X`, `use super::{b, c}`), test modules left
out. Names reached through the crate root or a `mod.rs` are not followed, so
re-exports do not count; a circle is a set of files that reach each other
directly. Prints each circle with its edges and exits 1 if there is one.
"""
import os
import re
import sys

PATH = re.compile(r"\b(crate|super)((?:::\w+)+)")
GROUP = re.compile(r"\b(crate|super)::\{([^}]*)\}")
TESTS = re.compile(r"#\[cfg\(test\)\]\s*mod \w+\s*\{")


def module_of(root, path):
    parts = os.path.relpath(path, root)[: -len(".rs")].split(os.sep)
    return tuple(parts[:-1] if parts[-1] in ("lib", "main", "mod") else parts)


def code_of(path):
    text = open(path, encoding="utf-8").read()
    tests = TESTS.search(text)
    text = text[: tests.start()] if tests else text
    return re.sub(r"//[^\n]*", "", text)


def edges_of(root):
    files = {}
    for folder, subfolders, names in os.walk(root):
        # A binary under src/bin is a crate of its own, checked as its own root.
        if folder == root and "bin" in subfolders:
            subfolders.remove("bin")
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                files[module_of(root, path)] = path
    edges = {}
    for module, path in files.items():
        code = code_of(path)
        targets = set()

        def add(base, names):
            full = (() if base == "crate" else module[:-1]) + tuple(names)
            for k in range(len(full), 0, -1):
                if full[:k] in files:
                    if full[:k] != module:
                        targets.add(full[:k])
                    return

        for m in PATH.finditer(code):
            add(m.group(1), m.group(2).split("::")[1:])
        for m in GROUP.finditer(code):
            for name in re.findall(r"\b(\w+)\b", m.group(2)):
                add(m.group(1), [name])
        edges[module] = targets
    return edges


def circles(edges):
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def main(roots):
    failed = False
    for root in roots:
        edges = edges_of(root)
        for component in circles(edges):
            failed = True
            print(f"{root}: import circle among {', '.join('/'.join(m) + '.rs' for m in component)}")
            for a in component:
                for b in sorted(edges[a]):
                    if b in component:
                        print(f"    {'/'.join(a)} -> {'/'.join(b)}")
    if failed:
        sys.exit(1)
    print(f"check-import-cycles: no import circle in {', '.join(roots)}")


if __name__ == "__main__":
    main(sys.argv[1:] or [
        "huddle-auth-core/src",
        "huddle-auth-macros/src",
        "huddle-auth/src",
        "huddle-auth/src/bin/huddle-auth",
    ])
