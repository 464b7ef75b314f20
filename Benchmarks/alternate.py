#!/usr/bin/env python3
"""Alternated wall-time comparison of rampart builds against CPython's bare json.load of the same file.

Each round runs every binary once, in order, then (every other round) `python3 -c "json.load(...)"`, so all of
them see the same state of a noisy shared machine. Prints per command the median wall time, the quartiles, the
peak RSS, and how many times faster than json.load it is (the ratio issue #21 sets targets for).

    Benchmarks/alternate.py --rounds 15 --input /tmp/rc2/state-100000-compliant.json \
        --pack /tmp/rc2/yaml-pack-100 BEFORE/rampart AFTER/rampart

Each binary runs `scan INPUT [--pack PACK] --report FORMAT=OUTPUT --quiet` (`--report`, default json; `--output`,
default /dev/null: a file path measures writing the report out too). `--jobs N`, given once or more, runs each
binary with each worker count. The CPU time (user + system) of each process is reported beside its wall time: two
workers' CPU against one's tells what running in parallel costs (round thirty-four). No figure is asserted: CI
never fails on timing (docs/performance.md).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run(command):
    """Wall seconds, CPU seconds (user + system), exit status and peak RSS (KiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--input", required=True)
    parser.add_argument("--pack", help="a pack for every scan (default: the default packs)")
    parser.add_argument("--report", default="json", help="the report format (default: json)")
    parser.add_argument("--output", default="/dev/null", help="where the report is written (default: /dev/null)")
    parser.add_argument("--jobs", type=int, action="append", help="a worker count (repeatable; default: the CLI's)")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()

    commands = {}
    for binary in args.binaries:
        command = [binary, "scan", args.input] + (["--pack", args.pack] if args.pack else [])
        command += ["--report", f"{args.report}={args.output}", "--quiet"]
        for jobs in args.jobs or [None]:
            name = binary if jobs is None else f"{binary} --jobs {jobs}"
            commands[name] = command + ([] if jobs is None else ["--jobs", str(jobs)])
    commands["json.load"] = [sys.executable, "-c", f"import json; json.load(open({args.input!r}))"]

    seconds = {name: [] for name in commands}
    cpu = {name: [] for name in commands}
    peaks = {name: 0 for name in commands}
    exits = {name: set() for name in commands}
    for round_number in range(args.rounds):
        for name, command in commands.items():
            if name == "json.load" and round_number % 2:
                continue
            wall, used, code, rss = run(command)
            seconds[name].append(wall)
            cpu[name].append(used)
            peaks[name] = max(peaks[name], rss)
            exits[name].add(code)

    baseline = statistics.median(seconds["json.load"])
    for name, values in seconds.items():
        median = statistics.median(values)
        q1, _, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else (median, median, median)
        print(f"{name}: median {median * 1000:.1f} ms (quartiles {q1 * 1000:.1f}-{q3 * 1000:.1f}, n={len(values)}), "
              f"CPU {statistics.median(cpu[name]) * 1000:.1f} ms, peak RSS {peaks[name]} KiB, exit {sorted(exits[name])}, "
              f"json.load / this = {baseline / median:.2f}x")


if __name__ == "__main__":
    main()
