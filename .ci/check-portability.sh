#!/usr/bin/env bash
# Fails when Swift code uses a Linux-only module or call outside a platform guard. Package.swift promises macOS 14
# and no macOS machine builds in CI, so this is what keeps Darwin builds working: `import Glibc`, `Glibc.read`,
# `RUSAGE_SELF.rawValue` and friends must sit inside `#if canImport(Glibc)` / `#elseif canImport(Darwin)` (or
# `#if os(...)`) blocks. Usage: check-portability.sh [DIR...] (default: the directories compiled for users).
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(Sources Integrations Benchmarks Fuzz)

status=0
while IFS= read -r -d '' file; do
  awk -v file="$file" '
    # A stack of #if blocks; a line is guarded when any enclosing block tests the platform.
    function guarded(   i) { for (i = 1; i <= depth; i++) if (platform[i]) return 1; return 0 }
    /^[ \t]*#if[ \t(]/ { depth++; platform[depth] = ($0 ~ /canImport\((Glibc|Musl|Darwin|WinSDK|Android|Bionic)\)|os\(/); next }
    /^[ \t]*#elseif[ \t(]/ { if ($0 ~ /canImport\((Glibc|Musl|Darwin|WinSDK|Android|Bionic)\)|os\(/) platform[depth] = 1; next }
    /^[ \t]*#endif/ { if (depth > 0) depth--; next }
    {
      code = $0
      sub(/\/\/.*/, "", code)             # comments may name anything
      if (guarded()) next
      what = ""
      if (code ~ /^[ \t]*(@_exported[ \t]+)?import[ \t]+(Glibc|Musl|Bionic|Android)([ \t]|$)/) what = "Linux-only import"
      else if (code ~ /(^|[^A-Za-z0-9_.])(Glibc|Musl)\.[A-Za-z_]/) what = "Linux C module call"
      else if (code ~ /RUSAGE_(SELF|CHILDREN)\.rawValue/) what = "Glibc-only enum wrapper (RUSAGE_*.rawValue)"
      else if (code ~ /(^|[^A-Za-z0-9_])(epoll_[a-z0-9_]+|inotify_[a-z0-9_]+|sched_getaffinity|malloc_usable_size|mallinfo2?|sysinfo|prctl|eventfd|signalfd|timerfd_[a-z_]+|memfd_create|pipe2|accept4|sendfile)[ \t]*\(/) what = "Linux-only call"
      else if (code ~ /"\/proc\//) what = "Linux-only /proc path"
      else if (code ~ /(SOCK_STREAM|SOCK_DGRAM)\.rawValue/) what = "Glibc-only enum wrapper (SOCK_*.rawValue)"
      if (what != "") { printf "%s:%d: %s outside #if canImport(Glibc)/os(Linux): %s\n", file, FNR, what, $0; bad = 1 }
    }
    END { exit bad }
  ' "$file" || status=1
done < <(find "${dirs[@]}" -name '*.swift' -not -path '*/.build/*' -print0 2>/dev/null | sort -z)

if [ $status -ne 0 ]; then
  echo "check-portability: guard the lines above with #if canImport(Glibc) ... #elseif canImport(Darwin) ... #endif" >&2
fi
exit $status
