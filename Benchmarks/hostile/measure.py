#!/usr/bin/env python3
"""Measures the hostile shapes of issue #21 (docs/performance.md, "Round four: hostile shapes"):

    python3 Benchmarks/hostile/measure.py .build/release/rampart [--before OTHER_BINARY] [--runs 5] [--dir DIR]
                                          [--only strings|bombs]

Generates (once, into DIR, default /tmp/rampart-hostile) with generate.py: a 200 MB base64 string export, a 200 MB
plain-text string export, a 2 MB gzip bomb and a 63 KB zstd bomb that inflate to 2 GB, and a small export with one
finding. Then, per binary, the median of RUNS whole processes (wall, user+sys CPU, peak RSS from /usr/bin/time):
  - `scan BIG --report json=/dev/null` with the default packs;
  - the secret walk alone: CPU of `--pack builtin:pitfalls` minus CPU of `--pack builtin:kubernetes` (same read, no
    string walk), over the string's bytes, in MB/s;
  - `scan BOMB small.json`: time to the exit-2 error and peak RSS; the small export's finding must still be reported.
"""
import argparse, json, os, pathlib, statistics, subprocess, sys, tempfile

HERE = pathlib.Path(__file__).resolve().parent


def generate(directory):
    directory.mkdir(parents=True, exist_ok=True)
    wanted = [
        ("big-base64.json", ["big-string", "--mb", "200", "--content", "base64"]),
        ("big-text.json", ["big-string", "--mb", "200", "--content", "text"]),
        ("bomb.json.gz", ["bomb", "--inflated-mb", "2000"]),
        ("bomb.json.zst", ["bomb", "--inflated-mb", "2000"]),
        ("small.json", ["small"]),
    ]
    for name, args in wanted:
        path = directory / name
        if not path.exists():
            if name.endswith(".zst") and subprocess.run(["which", "zstd"], capture_output=True).returncode != 0:
                continue
            subprocess.run([sys.executable, str(HERE / "generate.py"), args[0], str(path)] + args[1:], check=True)
    return directory


def run(command):
    """(exit code, wall s, cpu s, peak RSS MiB, stdout) of one process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        proc = subprocess.run(["/usr/bin/time", "-o", timing.name, "-f", "%e %U %S %M"] + command,
                              capture_output=True, text=True)
        wall, user, system, rss = timing.read().split()[-4:]
    return proc.returncode, float(wall), float(user) + float(system), int(rss) / 1024, proc.stdout


def median_of(runs, command):
    results = [run(command) for _ in range(runs)]
    return (results[0][0], statistics.median(r[1] for r in results), statistics.median(r[2] for r in results),
            statistics.median(r[3] for r in results), results[0][4])


def measure(binary, directory, runs, only):
    print(f"## {binary}")
    for name in ["big-base64.json", "big-text.json"] if only != "bombs" else []:
        path = str(directory / name)
        size = os.path.getsize(path)
        code, wall, cpu, rss, _ = median_of(runs, [binary, "scan", path, "--quiet", "--report", "json=/dev/null"])
        print(f"{name} ({size / 1e6:.0f} MB), default packs: exit {code}, {wall:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MiB")
        _, _, walk, _, _ = median_of(runs, [binary, "scan", path, "--quiet", "--pack", "builtin:pitfalls", "--report", "json=/dev/null"])
        _, _, read, _, _ = median_of(runs, [binary, "scan", path, "--quiet", "--pack", "builtin:kubernetes", "--report", "json=/dev/null"])
        spent = max(walk - read, 0.001)
        print(f"  secret walk: {walk:.2f} s CPU with builtin:pitfalls - {read:.2f} s with builtin:kubernetes = {spent:.2f} s "
              f"-> {size / 1e6 / spent:.0f} MB/s")
    for name in ["bomb.json.gz", "bomb.json.zst"] if only != "strings" else []:
        path = directory / name
        if not path.exists():
            print(f"{name}: skipped (no zstd command to generate it)")
            continue
        code, wall, cpu, rss, out = median_of(runs, [binary, "scan", str(path), str(directory / "small.json"), "--quiet", "--report", "json"])
        try:
            report = json.loads(out)
            findings = sorted({f["policy"] for f in report.get("findings", []) if f.get("policy") == "plaintext-secrets-in-state"})
            errors = [e["message"] for e in report.get("inputErrors", [])]
        except json.JSONDecodeError:
            findings, errors = [], ["(no JSON report)"]
        print(f"{name} ({path.stat().st_size / 1e6:.2f} MB) beside small.json: exit {code}, {wall:.2f} s wall, {rss:.0f} MiB peak; "
              f"small.json's finding reported: {bool(findings)}; error: {errors[0] if errors else '(none)'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--before", help="another rampart binary to measure the same way (e.g. main's)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default="/tmp/rampart-hostile")
    parser.add_argument("--only", choices=["strings", "bombs"], help="measure only the big strings or only the bombs "
                        "(a build without the limits needs ~6 GB and a minute per bomb)")
    args = parser.parse_args()
    directory = generate(pathlib.Path(args.dir))
    for binary in [args.before, args.binary]:
        if binary:
            measure(binary, directory, args.runs, args.only)


if __name__ == "__main__":
    main()
