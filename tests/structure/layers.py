#!/usr/bin/env python3
"""The layering of src/ stays true (src/README.md draws it).

Fails when
  - two modules include each other, directly or round a circle (a module
    is foo.c with foo.h and its internal header foo_int.h; header-only
    modules count too);
  - a file includes a header of a folder above its own (the order below);
  - a .c file is over 1,000 lines;
  - two files have one name (a module is known by its name).
Run: layers.py SRC_DIR
"""
import os
import re
import sys

# Bottom to top: a folder may include its own headers and those below.
LAYERS = ["util", "loop", "proto", "guard", "req", "sock", "netdb", "ctl", "files", "fuse", "."]
MAX_LINES = 1000
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module(path):
    name = os.path.splitext(os.path.basename(path))[0]
    return name[:-4] if name.endswith("_int") else name


def main(src):
    files = {}  # path -> text
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith((".c", ".h")):
                p = os.path.join(root, n)
                with open(p, encoding="utf-8") as f:
                    files[os.path.relpath(p, src)] = f.read()
    where = {}  # header name -> folder
    sources = {}  # source name -> folder
    for p in files:
        name = os.path.basename(p)
        seen = where if p.endswith(".h") else sources
        if name in seen:
            return [f"two files named {name}: in {seen[name]}/ and {os.path.dirname(p)}/"]
        seen[name] = os.path.dirname(p) or "."
    errors = []
    edges = {}  # module -> set of modules
    for p, text in files.items():
        folder = os.path.dirname(p) or "."
        mod = module(p)
        if folder not in LAYERS:
            errors.append(f"{p}: folder {folder} is not in the list of layers")
            continue
        if p.endswith(".c") and text.count("\n") > MAX_LINES:
            errors.append(f"{p}: {text.count(chr(10))} lines, more than {MAX_LINES}")
        for inc in INCLUDE.findall(text):
            if inc not in where:
                continue  # config.h and the like
            to = module(inc)
            if to != mod:
                edges.setdefault(mod, set()).add(to)
            tf = where[inc]
            if LAYERS.index(tf) > LAYERS.index(folder):
                errors.append(f"{p}: includes {tf}/{inc}, a layer above {folder}/")
    # Cycles among modules: depth-first search with colours.
    colour, stack = {}, []

    def visit(m):
        colour[m] = 1
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            if colour.get(n) == 1:
                errors.append("include cycle: " + " -> ".join(stack[stack.index(n):] + [n]))
            elif not colour.get(n):
                visit(n)
        stack.pop()
        colour[m] = 2

    for m in sorted(edges):
        if not colour.get(m):
            visit(m)
    return errors


if __name__ == "__main__":
    errs = main(sys.argv[1] if len(sys.argv) > 1 else "src")
    for e in errs:
        print(e)
    print(f"{0 if errs else 1} passed, {1 if errs else 0} failed")
    sys.exit(1 if errs else 0)
