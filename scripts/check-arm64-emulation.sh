#!/usr/bin/env bash
# Publishes elr-run for linux-arm64 (NativeAOT, cross-compiled) and runs it under qemu-aarch64 on the
# cores of Raspberry Pi 3 (Cortex-A53), Pi 4 (Cortex-A72) and Pi 5 (Cortex-A76), checking every golden
# model's outputs against the expected ones (largest error ≤ 1e-5 of the sample's largest output); then the Pi 5
# build (armv8.2-a with the dot product, scripts/publish-pi.sh --pi 5), whose integer products use sdot, on the Cortex-A76.
# Emulation proves correctness and instruction-set compatibility, not speed.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in qemu-aarch64 clang aarch64-linux-gnu-objcopy; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install clang binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross qemu-user" >&2; exit 1; }
done

binary="$(scripts/publish.sh linux-arm64 | tail -n 1)"
aarch64-linux-gnu-readelf -h "$binary" | grep -q "AArch64" || { echo "$binary is not an aarch64 executable" >&2; exit 1; }

source scripts/lib/golden-models.sh
failures=0
checks=0
for cpu in cortex-a53 cortex-a72 cortex-a76; do
    check_golden_models "$cpu" qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$binary"
done
pi5="$(scripts/publish.sh linux-arm64 armv8.2-a,dotprod | tail -n 1)"
check_golden_models "cortex-a76 (armv8.2-a,dotprod build)" qemu-aarch64 -cpu cortex-a76 -L /usr/aarch64-linux-gnu "$pi5"
[[ $checks -gt 0 ]] || { echo "no golden fixtures found under tests/fixtures" >&2; exit 1; }
echo "arm64 emulation: $((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
