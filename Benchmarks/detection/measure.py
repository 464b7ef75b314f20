#!/usr/bin/env python3
"""Precision and recall of Rampart's findings on the real-world corpus, per policy family.

Runs `rampart scan` on every state/event file and `rampart lint` on every project directory of the corpus
(../shared/samples/realworld by default; files written by other people, never copied into this repository),
matches each finding against the labelled judgements (Tests/RampartTests/Fixtures/labelled/realworld-judgements.json)
and prints, per family, true and false findings, misses, precision and recall.

    python3 Benchmarks/detection/measure.py .build/release/rampart [--corpus DIR] [--judgements FILE]
        [--dump findings.json]   # also write every finding with its key (to judge new ones)

Exit status: 0 when every finding is judged, 1 when some are not (they are listed), 2 on a usage error.

A finding's key is (input, pack/policy, subject): input is the corpus-relative file or project directory;
subject is the resource URN for a resource finding, else `FILE:LINE` of its location (FILE relative to the input
directory), else the stack name. Recall counts as relevant every finding judged true, whether this build reports it
or not (a true finding that disappears is a miss), plus the `miss` entries: real problems no build reported.
`superseded` entries (a true finding whose defect another policy now reports by design) count nowhere.
"""
import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "samples", "realworld"))
DEFAULT_JUDGEMENTS = os.path.join(ROOT, "Tests", "RampartTests", "Fixtures", "labelled", "realworld-judgements.json")

# Lint directories whose project sits in a subfolder (SOURCES.md: the workflows are one level up).
LINT_SUBDIRS = {"comsysto-pulumi-lab": "pulumi", "rssfilter": "pulumi"}

FAMILIES = {
    "pitfalls/plaintext-secrets-in-config": "secrets in config",
    "pitfalls/static-cloud-keys-in-ci": "CI keys",
    "hardening/dynamic-provider-credentials": "CI keys",
    "pitfalls/plaintext-secrets-in-state": "state plaintext",
}


def family(policy):
    if policy in FAMILIES:
        return FAMILIES[policy]
    pack = policy.split("/", 1)[0]
    if pack in ("pitfalls", "hardening"):
        return "stack hygiene"
    return "resource policies"


def inputs(corpus):
    """(input key, command, path, directory the locations are relative to) for every corpus input."""
    out = []
    for sub in ("state", "events"):
        folder = os.path.join(corpus, sub)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            out.append((f"{sub}/{name}", "scan", path, folder))
    lint = os.path.join(corpus, "lint")
    for name in sorted(os.listdir(lint)):
        project = os.path.join(lint, name, LINT_SUBDIRS.get(name, ""))
        out.append((f"lint/{name}", "lint", os.path.normpath(project), os.path.join(lint, name)))
    return out


def run(binary, command, path):
    proc = subprocess.run([binary, command, path, "--report", "json", "--quiet"], capture_output=True, text=True, timeout=300)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None  # refused input (exit 2 with a located error): no findings


def subject(finding, base):
    if finding.get("urn"):
        return finding["urn"]
    location = finding.get("location")
    if location and location.get("file"):
        file = location["file"]
        if os.path.isabs(file):
            file = os.path.relpath(file, base)
        return f"{file}:{location.get('line', 0)}"
    return f"stack {finding['stack']}"


def collect(binary, corpus):
    findings = []
    for key, command, path, base in inputs(corpus):
        report = run(binary, command, path)
        if report is None:
            continue
        for f in report["findings"]:
            if f["outcome"] != "violation":
                continue
            findings.append({
                "input": key, "policy": f"{f['pack']}/{f['policy']}", "subject": subject(f, base),
                "level": f["enforcementLevel"], "message": f["message"],
            })
    return findings


def measure(findings, judgements):
    """Per family: tp, fp, misses; plus the unjudged findings and the mandatory false positives."""
    index = defaultdict(list)
    for j in judgements:
        index[(j["input"], j["policy"], j["subject"])].append(j)
    stats = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    unjudged, mandatory_false, reported = [], [], set()
    for f in findings:
        key = (f["input"], f["policy"], f["subject"])
        entries = [j for j in index.get(key, []) if j["verdict"] in ("true", "false")]
        if not entries:
            unjudged.append(f)
            continue
        reported.add(key)
        verdict = entries[0]["verdict"]
        fam = family(f["policy"])
        if verdict == "true":
            stats[fam]["tp"] += 1
        else:
            stats[fam]["fp"] += 1
            if f["level"] == "mandatory":
                mandatory_false.append(f)
    for j in judgements:
        key = (j["input"], j["policy"], j["subject"])
        if j["verdict"] == "miss" or (j["verdict"] == "true" and key not in reported):
            stats[family(j["policy"])]["fn"] += 1
    return stats, unjudged, mandatory_false


def ratio(a, b):
    return a / b if b else 1.0


def table(stats):
    lines = ["| family | true | false | missed | precision | recall |", "|---|---|---|---|---|---|"]
    total = {"tp": 0, "fp": 0, "fn": 0}
    for fam in sorted(stats):
        s = stats[fam]
        for k in total:
            total[k] += s[k]
        lines.append(f"| {fam} | {s['tp']} | {s['fp']} | {s['fn']} | {ratio(s['tp'], s['tp'] + s['fp']):.3f} | {ratio(s['tp'], s['tp'] + s['fn']):.3f} |")
    t = total
    lines.append(f"| **all** | {t['tp']} | {t['fp']} | {t['fn']} | {ratio(t['tp'], t['tp'] + t['fp']):.3f} | {ratio(t['tp'], t['tp'] + t['fn']):.3f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rampart")
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--judgements", default=DEFAULT_JUDGEMENTS)
    parser.add_argument("--dump")
    args = parser.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    findings = collect(os.path.abspath(args.rampart), args.corpus)
    if args.dump:
        with open(args.dump, "w") as fh:
            json.dump(findings, fh, indent=1)
    with open(args.judgements) as fh:
        judgements = json.load(fh)["judgements"]
    stats, unjudged, mandatory_false = measure(findings, judgements)
    print(f"{len(findings)} findings on {args.corpus}")
    print(table(stats))
    print(f"mandatory false positives: {len(mandatory_false)}")
    for f in mandatory_false:
        print(f"  {f['input']} {f['policy']} {f['subject']}: {f['message']}")
    if unjudged:
        print(f"{len(unjudged)} findings not judged:")
        for f in unjudged:
            print(f"  {f['input']} | {f['policy']} | {f['subject']} | {f['level']} | {f['message']}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
