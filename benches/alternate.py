#!/usr/bin/env python3
"""Commands timed alternately in one loop (docs/benchmarks.md, issue 21), so a noisy machine's
drift reaches every command alike.

    python3 benches/alternate.py ROUNDS "LABEL=COMMAND" "LABEL=COMMAND" ...

Runs each command once (warm-up), then ROUNDS rounds, each command once per round, the order
reversed every other round. Prints per command the median and fastest wall time, the median and
lowest CPU time (user + system of the process and its threads, from `wait4`) and the median peak
RSS. A command's output is discarded; a command that fails is reported on stderr.
"""

import os
import shlex
import statistics
import subprocess
import sys
import time


def once(command):
    start = time.perf_counter()
    process = subprocess.Popen(
        shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        print(f"failed ({status}): {command}", file=sys.stderr)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    rounds = int(sys.argv[1])
    commands = [arg.split("=", 1) for arg in sys.argv[2:]]
    results = {label: [] for label, _ in commands}
    for _, command in commands:
        once(command)
    for r in range(rounds):
        order = commands if r % 2 == 0 else list(reversed(commands))
        for label, command in order:
            results[label].append(once(command))
    print(f"{rounds} alternating rounds, load average {os.getloadavg()[0]:.1f} at the end")
    for label, _ in commands:
        wall = [r[0] * 1000 for r in results[label]]
        cpu = [r[1] * 1000 for r in results[label]]
        rss = [r[2] for r in results[label]]
        print(
            f"{label:24s} wall {statistics.median(wall):7.1f} ms (min {min(wall):7.1f})  "
            f"cpu {statistics.median(cpu):7.1f} ms (min {min(cpu):7.1f})  "
            f"rss {statistics.median(rss):6.1f} MB"
        )


if __name__ == "__main__":
    main()
