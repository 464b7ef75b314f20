#!/usr/bin/env python3
"""Shares of a perf profile's samples by what their stacks pass through.

Usage: perf script -i FILE -F ip,sym | swift demangle --simplified | perf-buckets.py [--leaf REGEX] NAME=REGEX ...

Each sample goes to the first bucket (in the order given) whose regular expression matches one of its stack's frames;
samples that match none are "rest", listed with their most common leaf frames. docs/performance.md ("Round
thirty-one") splits the analyzer's CPU per call this way.

With `--leaf REGEX`, only samples whose leaf frame matches are put in buckets (the rest are "other leaves"); shares
stay shares of all samples. `--leaf '^swift_(retain|release)'` tells where reference counting is paid, and which
callers' counts two cores fight over when a 2-job profile has more of them than a 1-job one (round thirty-four).
"""
import collections
import re
import sys


def stacks(lines):
    frames = []
    for line in lines:
        line = line.strip()
        if not line:
            if frames:
                yield frames
            frames = []
            continue
        parts = line.split(None, 1)
        frames.append(parts[1] if len(parts) > 1 else "?")
    if frames:
        yield frames


def main():
    buckets = []
    arguments = sys.argv[1:]
    leaf = None
    if len(arguments) >= 2 and arguments[0] == "--leaf":
        leaf = re.compile(arguments[1])
        arguments = arguments[2:]
    for argument in arguments:
        name, separator, pattern = argument.partition("=")
        if not separator:
            sys.exit(f"perf-buckets.py: expected NAME=REGEX, found '{argument}'")
        buckets.append((name, re.compile(pattern)))
    counts = collections.Counter()
    rest = collections.Counter()
    total = 0
    for frames in stacks(sys.stdin):
        total += 1
        if leaf and not leaf.search(frames[0]):
            counts["other leaves"] += 1
            continue
        name = next((name for name, pattern in buckets if any(pattern.search(frame) for frame in frames)), None)
        counts[name or "rest"] += 1
        if name is None:
            rest[frames[0]] += 1
    if total == 0:
        sys.exit("perf-buckets.py: no samples on standard input")
    print(f"{total} samples")
    for name in [name for name, _ in buckets] + ["rest"] + (["other leaves"] if leaf else []):
        print(f"{100 * counts[name] / total:6.1f} %  {name}")
    print("rest, by leaf frame:")
    for frame, count in rest.most_common(10):
        print(f"{100 * count / total:6.2f} %  {frame[:150]}")


if __name__ == "__main__":
    main()
