#!/usr/bin/env python3
"""Where `charter check`'s memory is at its peak, by salsa query.

Usage: benches/memory-breakdown.py STACKS [--top N]

STACKS is heaptrack's flame-graph file of peak consumption:

    heaptrack -o $T/ht ./target/release/charter check $T/big
    heaptrack_print -f $T/ht.zst --flamegraph-cost-type peak -F $T/peak.txt
    benches/memory-breakdown.py $T/peak.txt

Each line of STACKS is `frame;frame;...;frame BYTES` (outermost frame first): the bytes that
this call stack had allocated and not yet freed at the moment of the process's highest heap
consumption. A stack is counted under the innermost query it ran in (`parse`, `file_names`,
`index`, `file_sigs`, `analyze_file`, ...), so a file's signatures computed while another file's
analysis asked for them count as `file_sigs`; allocations made outside any query (reading the
sources, the CLI's copy of them for rendering, salsa's own tables) are named by the frame that
made them. `--top N` also prints the N largest stacks of each group, innermost frames first.
"""

import re
import sys
from collections import defaultdict

# heaptrack names a frame `function (file.rs)`. Salsa's generated query functions are
# `NAME (setup_tracked_fn.rs)`.
def q(name):
    return re.compile(r"^" + name + r" \(setup_tracked_fn\.rs\)")


# (group, frame pattern): the innermost frame matching any pattern names the group.
QUERIES = [
    ("parse", q("parse")),
    ("file_names", q("file_names")),
    ("index", q("index")),
    ("file_sigs", q("file_sigs")),
    ("analyze_file", q("analyze_file")),
    ("actions", q("actions")),
    ("diagnostics (workspace)", q("diagnostics")),
    ("model (workspace)", q("model")),
]

# Outside any query: the first frame (innermost first) matching names the group.
OUTSIDE = [
    ("source texts (read from disk)", re.compile(r"^read_sources \(workspace\.rs\)")),
    ("source texts (the standard library)", re.compile(r"^create \(workspace\.rs\)")),
    ("the CLI's copy of the sources for rendering", re.compile(r"^sources \(mod\.rs\)")),
    ("threads and their stacks' bookkeeping", re.compile(r"^start_thread ")),
    ("salsa tables (ingredients, interned keys)", re.compile(r"\((setup_tracked_fn|zalsa|memo_ingredient_indices|table|storage|input)\.rs\)")),
    ("command line (clap)", re.compile(r"\((parser|command)\.rs\)")),
]

# Within a query, a finer split by frame (innermost first).
DETAIL = {
    "parse": [
        ("lexer (doc comments, comments)", re.compile(r"\(lex\.rs\)")),
        ("diagnostics", re.compile(r"\((diagnostic|diagnostics|render)\.rs\)")),
        ("tree (grammar actions)", re.compile(r"\((grammar|state_machine)\.rs\)")),
        ("split, salvage", re.compile(r"\(split\.rs\)")),
    ],
    "analyze_file": [
        ("policies (rules, conditions)", re.compile(r"\(policy\.rs\)")),
        ("contracts (services, operations)", re.compile(r"\(contract\.rs\)")),
        ("compliance (controls, threats)", re.compile(r"\(compliance\.rs\)")),
        ("tests", re.compile(r"\(tests\.rs\)")),
        ("values", re.compile(r"\(values\.rs\)")),
        ("types", re.compile(r"\(types\.rs\)")),
        ("the driver (check.rs: declarations, fields, annotations)", re.compile(r"\(check\.rs\)")),
    ],
}


def group_of(frames):
    for frame in reversed(frames):
        for name, pattern in QUERIES:
            if pattern.search(frame):
                return name
    for frame in reversed(frames):
        for name, pattern in OUTSIDE:
            if pattern.search(frame):
                return name
    return "other"


def detail_of(group, frames):
    for frame in reversed(frames):
        for name, pattern in DETAIL.get(group, []):
            if pattern.search(frame):
                return name
    return "rest" if group in DETAIL else None


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    path, top = argv[0], 0
    if len(argv) == 3 and argv[1] == "--top":
        top = int(argv[2])
    totals = defaultdict(int)
    details = defaultdict(int)
    stacks = defaultdict(list)
    everything = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            size = int(count)
            frames = stack.split(";")
            group = group_of(frames)
            totals[group] += size
            everything += size
            detail = detail_of(group, frames)
            if detail:
                details[(group, detail)] += size
            if top:
                stacks[group].append((size, frames))
    if everything == 0:
        print("no stacks in", path, file=sys.stderr)
        return 1
    print(f"heap at the peak: {everything / 1e6:.1f} MB")
    print(f"{'where':<58} {'MB':>8} {'share':>7}")
    for group, size in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"{group:<58} {size / 1e6:>8.1f} {100 * size / everything:>6.1f}%")
        for (g, detail), dsize in sorted(details.items(), key=lambda kv: -kv[1]):
            if g == group:
                print(f"  {detail:<56} {dsize / 1e6:>8.1f} {100 * dsize / everything:>6.1f}%")
        for size_, frames in sorted(stacks[group], key=lambda s: -s[0])[:top]:
            inner = " < ".join(f for f in reversed(frames[-8:]))
            print(f"      {size_ / 1e6:8.2f} MB  {inner[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
