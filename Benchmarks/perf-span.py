#!/usr/bin/env python3
"""The wall-clock span and per-thread samples of the frames a pattern names, in a `perf record -g` profile.

    perf record -F 4999 -g -o v.perf rampart scan /tmp/rc2/state-100000.json --quiet --report json=/dev/null
    perf script -i v.perf -F tid,time,ip,sym | Benchmarks/perf-span.py 'ReportBuilder5fails|containsReadingAhead'

A sample counts when any frame of its stack matches the regular expression (mangled names: `perf script` prints
them as the binary holds them). Prints the time from the first such sample to the last and how many each thread
took: how long a phase held the cores and how it was spread over them (docs/performance.md, round thirty).
"""

import collections
import re
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: perf script -F tid,time,ip,sym | perf-span.py PATTERN")
    pattern = re.compile(sys.argv[1])
    hits = []
    sample, frames = None, []

    def close():
        if sample and any(pattern.search(frame) for frame in frames):
            hits.append(sample)

    for line in sys.stdin:
        line = line.rstrip("\n")
        header = re.match(r"^\s*\S*?\s*(\d+)\s+([\d.]+):", line)
        if header:
            close()
            sample, frames = (int(header.group(1)), float(header.group(2))), []
        elif not line.strip():
            close()
            sample, frames = None, []
        else:
            parts = line.strip().split(None, 1)
            if len(parts) == 2:
                frames.append(parts[1])
    close()
    if not hits:
        print("no sample matches")
        return
    times = [time for _, time in hits]
    threads = collections.Counter(tid for tid, _ in hits)
    print(f"span {1000 * (max(times) - min(times)):.1f} ms, {len(hits)} samples, by thread {dict(sorted(threads.items()))}")


if __name__ == "__main__":
    main()
