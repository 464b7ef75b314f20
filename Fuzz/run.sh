#!/usr/bin/env bash
# Builds the libFuzzer targets and runs one for a while (docs/robustness.md).
#
#   Fuzz/run.sh TARGET SECONDS   build, then fuzz TARGET (FuzzJSON, FuzzInputs, FuzzRules, …) for SECONDS
#   Fuzz/run.sh --build-only     build every target, run nothing (what CI checks)
#
# Corpora live in Fuzz/corpus/<TARGET> (grown by libFuzzer; seeded from the samples on first run); crashes, leaks and
# timeouts are written to Fuzz/artifacts/<TARGET>/. Extra libFuzzer flags can go in FUZZ_FLAGS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
targets=(FuzzJSON FuzzInputs FuzzRules FuzzStackConfig FuzzSecrets)

build() {
  # A file added to the root package is not always noticed through the path dependency: drop the cached plan.
  rm -f "$here/.build/${FUZZ_CONFIG:-debug}.yaml"
  # After a merge that changes a type's layout, incremental builds have been seen to link stale objects; one clean
  # retry of the module objects fixes that.
  swift_build "$@" || { rm -rf "$here/.build"/*/"${FUZZ_CONFIG:-debug}"/*.build; swift_build "$@"; }
}

swift_build() {
  # lld: gold fails on the sanitizer runtime's debug info. Sanitizer flags apply to every module built
  # here (the root package's too), so coverage reaches the readers under test.
  swift build --package-path "$here" -c "${FUZZ_CONFIG:-debug}" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld "$@"
}

seed() { # TARGET DIR: copy sample inputs into an empty corpus
  local target="$1" dir="$2" samples="$root/Tests/RampartInputsTests/Fixtures/samples"
  case "$target" in
    FuzzJSON|FuzzInputs)
      find "$samples/state" "$samples/preview" -type f \( -name '*.json' -o -name '*.jsonl' \) -size -256k -exec cp {} "$dir/" \; ;;
    FuzzRules)
      find "$root/PolicyPacks" "$root/Tests/RampartRulesTests/Fixtures" -type f -name '*.yaml' -size -64k -exec cp --backup=numbered {} "$dir/" \; ;;
    FuzzStackConfig|FuzzSecrets)
      find "$samples/config" -type f -name '*.yaml' -size -64k -exec cp --backup=numbered {} "$dir/" \; ;;
  esac
}

if [ "${1:-}" = "--build-only" ]; then
  build
  exit 0
fi
target="${1:?usage: Fuzz/run.sh TARGET SECONDS | --build-only}"
seconds="${2:?usage: Fuzz/run.sh TARGET SECONDS}"
printf '%s\n' "${targets[@]}" | grep -qx "$target" || { echo "unknown target $target (${targets[*]})" >&2; exit 2; }

build --product "$target"
bin="$(swift_build --product "$target" --show-bin-path)/$target"
corpus="$here/corpus/$target"; artifacts="$here/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
[ -n "$(ls -A "$corpus")" ] || seed "$target" "$corpus"
dict="$here/dictionaries/$target.dict"
flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$artifacts/" -print_final_stats=1)
[ -f "$dict" ] && flags+=(-dict="$dict")
# shellcheck disable=SC2086
exec "$bin" "${flags[@]}" ${FUZZ_FLAGS:-} "$corpus"
