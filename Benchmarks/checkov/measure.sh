#!/bin/sh
# Alternating Checkov / Rampart runs on the same inputs, each measured with /usr/bin/time -v.
# Usage: measure.sh [ROUNDS] [SIZES]   (defaults: 2 rounds, sizes "1000 10000")
# Expects: /tmp/checkov-venv (checkov installed), /tmp/checkov-bench/plan-N.json,
#          /tmp/rampart-bench/state-N.json, .build/release/rampart (run from the repo root).
set -u
ROUNDS=${1:-2}
SIZES=${2:-"1000 10000"}
OUT=/tmp/checkov-bench
CHECKOV=/tmp/checkov-venv/bin/checkov
RAMPART=${RAMPART:-.build/release/rampart}
measure() {  # label, command...
    label=$1; shift
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    /usr/bin/time -v "$@" 2> "$OUT/time-$label.txt"
    rc=$?
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/time-$label.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time-$label.txt")
    echo "$(date -u +%H:%M:%S) $label exit=$rc wall=$wall maxrss_kb=$rss load=[$load]" | tee -a "$OUT/measure.log"
}
for r in $(seq 1 "$ROUNDS"); do
    for n in $SIZES; do
        measure "checkov-$n-run$r" sh -c "$CHECKOV -f $OUT/plan-$n.json --framework terraform_plan --quiet --compact -o json > $OUT/checkov-$n-run$r.json"
        measure "rampart-$n-run$r" "$RAMPART" scan /tmp/rampart-bench/state-$n.json --report json=$OUT/r.json --quiet
    done
done
