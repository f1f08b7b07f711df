#!/usr/bin/env bash
# Publishes a program as a NativeAOT single binary and fails on any AOT or trim warning.
#
#   scripts/publish.sh [--project DIR] RID [INSTRUCTION_SET] [OUT_DIR]
#
#   --project DIR    the project to publish; default runtime/EdgeLowRank.Runtime.Cli (elr-run)
#   RID              linux-x64 or linux-arm64 (cross-compiled from an x64 host with clang)
#   INSTRUCTION_SET  passed to the AOT compiler as IlcInstructionSet, e.g. x86-64-v3 (AVX2 PCs),
#                    armv8.2-a,dotprod (Pi 5); empty = the default (x86-64-v2 / armv8.0-a: Pi 3 and 4)
#   OUT_DIR          default: artifacts/publish/RID[-INSTRUCTION_SET]
#
# The binary is printed on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."

project=runtime/EdgeLowRank.Runtime.Cli
if [[ "${1:-}" == "--project" ]]; then project="${2:?--project needs a folder}"; shift 2; fi
rid="${1:?usage: scripts/publish.sh [--project DIR] RID [INSTRUCTION_SET] [OUT_DIR]}"
isa="${2:-}"
out="${3:-artifacts/publish/${rid}${isa:+-${isa//,/_}}}"

args=(-c Release -r "$rid" -o "$out" -p:DebugType=none -p:GenerateDocumentationFile=false)
# MSBuild reads a comma as a property separator: escape it (armv8.2-a,dotprod).
[[ -n "$isa" ]] && args+=("-p:IlcInstructionSet=${isa//,/%2C}")
[[ "$rid" == linux-arm64 && "$(uname -m)" == x86_64 ]] && args+=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet publish "$project" "${args[@]}" >"$log" 2>&1; then
    cat "$log"
    echo "publish of $project failed for $rid (log above). For linux-arm64 from x64 install: clang binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross" >&2
    exit 1
fi
# AOT analysis (IL2xxx/IL3xxx) warnings mean code that may break after trimming: none are allowed
# (a sample that carries documented ones suppresses exactly those in its project file).
if grep -E "warning IL[0-9]{4}" "$log"; then
    echo "publish of $project for $rid produced AOT/trim warnings (above); fix them before shipping." >&2
    exit 1
fi
binary="$out/$(dotnet msbuild "$project" -getProperty:AssemblyName)"
echo "published $(basename "$binary") for $rid${isa:+ ($isa)}: $(stat -c %s "$binary") bytes, zero AOT/trim warnings"
echo "$binary"
