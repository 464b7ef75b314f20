#!/usr/bin/env bash
# Side by side: whole `rampart scan` processes against CPython's bare `json.load` of the same file, medians of N
# runs with peak RSS, then the phases of the same scans from `rampart-bench --phases`. Builds nothing: build first
#   swift build -c release --product rampart && swift build -c release --product rampart-bench
# Usage: Benchmarks/round-four/compare.sh [--sizes 100000] [--runs 5] [--estates compliant,dense] [--bin DIR]
#        [--dir DIR] [--no-phases]
# The estates come from `rampart-bench --generate` (deterministic): the mostly compliant one is scanned with the
# generated 100-policy YAML pack, the dense one with the default packs; both write their JSON report to /dev/null.
set -euo pipefail
cd "$(dirname "$0")/../.."

sizes=100000
runs=5
estates=compliant,dense
bin=.build/release
dir="${TMPDIR:-/tmp}/rampart-compare"
phases=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --estates) estates="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --no-phases) phases=0; shift ;;
    *) echo "compare.sh: unknown argument '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
for tool in rampart rampart-bench; do
  if [ ! -x "$bin/$tool" ]; then
    echo "compare.sh: $bin/$tool not found; build it first: swift build -c release --product $tool" >&2
    exit 2
  fi
done
command -v python3 >/dev/null || { echo "compare.sh: python3 not found" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time not found (Debian package 'time')" >&2; exit 2; }

mkdir -p "$dir"
"$bin/rampart-bench" --generate --sizes "$sizes" --estates "$estates" --dir "$dir" >/dev/null

# One timed process: prints "<wall seconds> <peak RSS KiB>". rampart exits 1 when there are findings; 2 or more is
# a failure of the run and stops the comparison.
timed() {
  local out status
  out=$(mktemp)
  set +e
  /usr/bin/time -o "$out" -f "%e %M" "$@" >/dev/null 2>"$out.err"
  status=$?
  set -e
  if [ $status -gt 1 ]; then
    echo "compare.sh: '$*' failed with exit $status:" >&2
    cat "$out.err" >&2
    rm -f "$out" "$out.err"
    exit 1
  fi
  tail -1 "$out"
  rm -f "$out" "$out.err"
}

# The median wall time and the median peak RSS of lines "<seconds> <KiB>".
medians() {
  python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
print(statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows))'
}

echo "compare.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), medians of $runs"
echo "| estate | resources | input MB | rampart wall s | rampart peak RSS MB | RSS / input | python json.load wall s | python peak RSS MB | wall ratio (python / rampart) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
IFS=, read -ra size_list <<<"$sizes"
IFS=, read -ra estate_list <<<"$estates"
for size in "${size_list[@]}"; do
  for estate in "${estate_list[@]}"; do
    case "$estate" in
      compliant) file="$dir/state-$size-compliant.json"; scan=("$bin/rampart" scan "$file" --pack "$dir/yaml-pack-100" --report json=/dev/null --quiet) ;;
      dense) file="$dir/state-$size.json"; scan=("$bin/rampart" scan "$file" --report json=/dev/null --quiet) ;;
      *) echo "compare.sh: unknown estate '$estate' (compliant or dense)" >&2; exit 2 ;;
    esac
    rampart_rows=""
    python_rows=""
    # Alternate the two, so a change in the machine's load falls on both.
    for _ in $(seq "$runs"); do
      rampart_rows+="$(timed "${scan[@]}")"$'\n'
      python_rows+="$(timed python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$file")"$'\n'
    done
    read -r r_wall r_rss <<<"$(printf '%s' "$rampart_rows" | medians)"
    read -r p_wall p_rss <<<"$(printf '%s' "$python_rows" | medians)"
    bytes=$(stat -c %s "$file")
    python3 -c '
import sys
estate, size, b, rw, rr, pw, pr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *map(float, sys.argv[4:])
mb = b / 1e6
print(f"| {estate} | {size:,} | {mb:.1f} | {rw:.2f} | {rr / 1024:.0f} | {rr * 1024 / b:.2f}× | {pw:.2f} | {pr / 1024:.0f} | **{pw / rw:.1f}×** |")
' "$estate" "$size" "$bytes" "$r_wall" "$r_rss" "$p_wall" "$p_rss"
  done
done

if [ $phases = 1 ]; then
  echo
  echo "Phases (rampart-bench --phases, best of $runs, in one process):"
  "$bin/rampart-bench" --phases --sizes "$sizes" --estates "$estates" --repeats "$runs" --dir "$dir"
fi
