#!/usr/bin/env bash
# Publishes elr-run as a NativeAOT single binary and fails on any AOT or trim warning.
#
#   scripts/publish.sh RID [INSTRUCTION_SET] [OUT_DIR]
#
#   RID              linux-x64 or linux-arm64 (cross-compiled from an x64 host with clang)
#   INSTRUCTION_SET  passed to the AOT compiler as IlcInstructionSet, e.g. x86-64-v3 (AVX2 PCs),
#                    armv8.2-a,dotprod (Pi 5); empty = the default (x86-64-v2 / armv8.0-a: Pi 3 and 4)
#   OUT_DIR          default: artifacts/publish/RID[-INSTRUCTION_SET]
#
# The binary is printed on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."

rid="${1:?usage: scripts/publish.sh RID [INSTRUCTION_SET] [OUT_DIR]}"
isa="${2:-}"
out="${3:-artifacts/publish/${rid}${isa:+-${isa//,/_}}}"

args=(-c Release -r "$rid" -o "$out" -p:DebugType=none -p:GenerateDocumentationFile=false)
[[ -n "$isa" ]] && args+=("-p:IlcInstructionSet=$isa")

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet publish runtime/EdgeLowRank.Runtime.Cli "${args[@]}" >"$log" 2>&1; then
    cat "$log"
    echo "publish failed for $rid. For linux-arm64 from x64 install: clang binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross" >&2
    exit 1
fi
# AOT analysis (IL2xxx/IL3xxx) warnings mean code that may break after trimming: none are allowed.
if grep -E "warning IL[0-9]{4}" "$log"; then
    echo "publish for $rid produced AOT/trim warnings (above); fix them before shipping." >&2
    exit 1
fi
size=$(stat -c %s "$out/elr-run")
echo "published $rid${isa:+ ($isa)}: $size bytes, zero AOT/trim warnings"
echo "$out/elr-run"
