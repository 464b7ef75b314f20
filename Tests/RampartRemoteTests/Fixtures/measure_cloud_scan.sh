#!/bin/sh
# Wall time and peak RSS of `rampart scan pulumi://organization --report json=/dev/null` over BACKEND's stacks served
# by the local Pulumi Cloud server (pulumi_cloud_server.py), then of the same directory scanned locally.
#
#   measure_cloud_scan.sh RAMPART BACKEND [JOBS]
#
# BACKEND is a self-managed backend directory (BACKEND/.pulumi/stacks/<project>/<stack>.json), e.g. the 1,000 stacks
# `rampart-bench --sizes , --backend-stacks 1000` writes to $TMPDIR/rampart-bench/backend-1000.
set -eu
rampart=$1
backend=$2
jobs=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
token=measure-only-token

python3 "$here/pulumi_cloud_server.py" --root "$backend" --org organization --token "$token" --page-size 100 >"$out/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$out"' EXIT
while ! grep -q PORT "$out/port" 2>/dev/null; do sleep 0.1; done
url="http://127.0.0.1:$(cut -d' ' -f2 "$out/port")"

measure() {
    # GNU time's %e (wall seconds) and %M (peak RSS, KiB); exit 1 (violations found) is a normal scan result.
    PULUMI_ACCESS_TOKEN=$token /usr/bin/time -f "%e %M" -o "$out/time" "$rampart" "$@" --jobs "$jobs" --quiet \
        --report json=/dev/null || [ $? -eq 1 ]
    read -r seconds kib <"$out/time"
    echo "$seconds s, peak RSS $((kib / 1024)) MB"
}

stacks=$(find "$backend/.pulumi/stacks" -name '*.json' | wc -l)
echo "$stacks stacks, $(du -sm "$backend/.pulumi/stacks" | cut -f1) MB, --jobs $jobs"
echo "pulumi://organization (local server): $(measure scan pulumi://organization --cloud-url "$url")"
echo "the same directory, local:            $(measure scan "$backend")"
