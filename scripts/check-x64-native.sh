#!/usr/bin/env bash
# Publishes elr-run for linux-x64 with NativeAOT as the README tells PC users to (x86-64-v3, AVX2), and for
# x86-64-v4 (AVX-512, the 512-bit kernels), and runs each natively on every golden model. The tests run the
# JIT build; this is the check that the shipped binaries compute the same. The v4 binary runs only on a CPU
# with AVX-512 (qemu's x86 emulation has none), and the line says when it was skipped. The v3 binary runs
# again under qemu's x86 emulation, whose CPU has AVX2 but neither AVX-VNNI nor AVX-512: the build checks for
# AVX-VNNI as it starts, so there it must take the integer products of 16-bit levels, not the dot product.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/golden-models.sh
source scripts/lib/binary-size.sh

failures=0
checks=0
size_checks=0
# The default build (x86-64-v2, what a publish without an instruction set gives) is the largest: its size alone is checked.
check_binary_size "x86-64-v2 (default)" "$(scripts/publish.sh linux-x64 | tail -n 1)"
for level in x86-64-v3 x86-64-v4; do
    required=avx2
    [[ $level == x86-64-v4 ]] && required=avx512f
    if ! grep -qw "$required" /proc/cpuinfo; then
        echo "skip  $level: this CPU has no ${required^^}"
        continue
    fi
    binary="$(scripts/publish.sh linux-x64 "$level" | tail -n 1)"
    check_binary_size "$level" "$binary"
    check_golden_models "$level" "$binary"
    [[ $level == x86-64-v3 ]] && check_golden_models "$level under qemu (AVX2, no AVX-VNNI)" qemu-x86_64 -cpu max "$binary"
done
[[ $((checks - size_checks)) -gt 0 ]] || { echo "no golden fixtures found under tests/fixtures, or no binary could run here" >&2; exit 1; }
echo "x64 native: $((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
