#!/usr/bin/env bash
# Regenerates Sources/PulumiRPC from Proto/ with protoc and the plugins of the pinned package versions.
# Needs protoc (Debian: apt-get install protobuf-compiler). The plugins are built in a scratch directory outside
# the repository ($RAMPART_PROTOC_SCRATCH, default /tmp/rampart-protoc-plugins); pass prebuilt ones with
# PROTOC_GEN_SWIFT=… PROTOC_GEN_GRPC_SWIFT=… to skip the build.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${RAMPART_PROTOC_SCRATCH:-/tmp/rampart-protoc-plugins}"
grpc_swift_protobuf_version=2.4.1   # keep in step with Package.swift
swift_protobuf_version=1.39.0
grpc_swift_version=2.4.3

command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }

if [ -z "${PROTOC_GEN_SWIFT:-}" ] || [ -z "${PROTOC_GEN_GRPC_SWIFT:-}" ]; then
  src="$scratch/grpc-swift-protobuf"
  if [ ! -d "$src" ]; then
    git -c advice.detachedHead=false clone -q --branch "$grpc_swift_protobuf_version" https://github.com/grpc/grpc-swift-protobuf "$src"
  fi
  swift package --package-path "$src" --scratch-path "$scratch/build" resolve
  # Pin the plugins' dependencies to the versions the analyzer builds against.
  swift package --package-path "$src" --scratch-path "$scratch/build" resolve swift-protobuf --version "$swift_protobuf_version"
  swift package --package-path "$src" --scratch-path "$scratch/build" resolve grpc-swift-2 --version "$grpc_swift_version"
  swift build --package-path "$src" --scratch-path "$scratch/build" --product protoc-gen-grpc-swift-2
  swift build --package-path "$src" --scratch-path "$scratch/build" --product protoc-gen-swift
  bin="$(swift build --package-path "$src" --scratch-path "$scratch/build" --show-bin-path)"
  PROTOC_GEN_SWIFT="$bin/protoc-gen-swift"
  PROTOC_GEN_GRPC_SWIFT="$bin/protoc-gen-grpc-swift-2"
fi

out="$here/Sources/PulumiRPC"
rm -rf "$out/pulumi"
mkdir -p "$out"
# Well-known types (empty.proto, struct.proto) come from protoc's include directory; protoc-gen-swift maps them to
# SwiftProtobuf's Google_Protobuf_* types.
wkt="$(dirname "$(command -v protoc)")/../include"
protoc \
  --proto_path="$here/Proto" --proto_path="$wkt" \
  --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
  --swift_out="$out" --swift_opt=Visibility=Public \
  "$here/Proto/pulumi/analyzer.proto" "$here/Proto/pulumi/plugin.proto"
protoc \
  --proto_path="$here/Proto" --proto_path="$wkt" \
  --plugin=protoc-gen-grpc-swift-2="$PROTOC_GEN_GRPC_SWIFT" \
  --grpc-swift-2_out="$out" --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true \
  "$here/Proto/pulumi/analyzer.proto"
echo "regenerated: $(cd "$out" && find . -name '*.swift' | sort | tr '\n' ' ')"
