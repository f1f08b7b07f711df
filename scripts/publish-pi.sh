#!/usr/bin/env bash
# Publishes everything a Raspberry Pi needs for linux-arm64 with NativeAOT, for the instruction set of the
# chosen board: the single-file binaries elr-run, digit-kiosk and thermal-bench (firmware samples), the runtime as a C
# library (libelr.so.3 and its link libelr.so, for armv8.0-a on every board, with its header elr.h and the Python example classify.py). The publish of
# thermal-bench also leaves libSystem.IO.Ports.Native.so, which its Iot.Device.Bindings package brings along
# (System.IO.Ports); thermal-bench opens no serial port and never loads it, so the board does not need it.
#
#   scripts/publish-pi.sh [--pi 3|4|5] [--out DIR]
#
#   --pi 3 or 4   armv8.0-a + AdvSimd (Cortex-A53 / A72); also runs on a Pi 5   (default: 4)
#   --pi 5        armv8.2-a with dot product (Cortex-A76); does not start on a Pi 3 or 4
#   --out DIR     default: artifacts/pi<N>. Emptied first, so it holds only this build's files; a folder
#                 with subfolders is refused (it is not an earlier output of this script)
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
if [[ -d "$out" ]] && find "$out" -mindepth 1 -maxdepth 1 -type d | grep -q .; then
    echo "$out has subfolders, so it is no earlier output of this script (which empties its folder first): give --out a new folder" >&2
    exit 1
fi

# Publish into a fresh folder, then replace the output's files: nothing from an earlier build stays.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
for project in runtime/EdgeLowRank.Runtime.Cli firmware-samples/DigitKiosk firmware-samples/ThermalBench; do
    scripts/publish.sh --project "$project" linux-arm64 "$isa" "$stage" | tail -n 2 | head -n 1
done
# The library for armv8.0-a on every board: a program that loads a Pi 5 build on a Pi 4 would not merely fail to start,
# it would be ended at its first call into the library.
scripts/publish.sh --project runtime/EdgeLowRank.Runtime.Native linux-arm64 "" "$stage" | tail -n 2 | head -n 1
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 -delete
cp -a "$stage/." "$out/"
echo "binaries for Raspberry Pi $pi (${isa:-armv8.0-a}) are in $out/"
ls -l "$out"
