#!/usr/bin/env bash
# Publishes everything a Raspberry Pi needs as NativeAOT linux-arm64 single binaries: elr-run and the
# firmware samples (digit-kiosk, thermal-bench), for the instruction set of the chosen board.
#
#   scripts/publish-pi.sh [--pi 3|4|5] [--out DIR]
#
#   --pi 3 or 4   armv8.0-a + AdvSimd (Cortex-A53 / A72); also runs on a Pi 5   (default: 4)
#   --pi 5        armv8.2-a with dot product (Cortex-A76); does not start on a Pi 3 or 4
#   --out DIR     default: artifacts/pi<N>
#
# Copy the folder's files to the board with the models (see docs/DEPLOY-PI.md).
set -euo pipefail
cd "$(dirname "$0")/.."

pi=4
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --pi) pi="${2:?--pi needs 3, 4 or 5}"; shift 2 ;;
        --out) out="${2:?--out needs a folder}"; shift 2 ;;
        *) echo "unknown option $1; usage: scripts/publish-pi.sh [--pi 3|4|5] [--out DIR]" >&2; exit 1 ;;
    esac
done
case "$pi" in
    3|4) isa="" ;;
    5) isa="armv8.2-a,dotprod" ;;
    *) echo "--pi must be 3, 4 or 5, not '$pi'" >&2; exit 1 ;;
esac
out="${out:-artifacts/pi$pi}"

for project in runtime/EdgeLowRank.Runtime.Cli firmware-samples/DigitKiosk firmware-samples/ThermalBench; do
    scripts/publish.sh --project "$project" linux-arm64 "$isa" "$out" | tail -n 2 | head -n 1
done
echo "binaries for Raspberry Pi $pi (${isa:-armv8.0-a}) are in $out/"
ls -l "$out"
