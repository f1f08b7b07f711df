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
source scripts/lib/binary-size.sh
failures=0
checks=0
size_checks=0
check_binary_size "linux-arm64" "$binary"
for cpu in cortex-a53 cortex-a72 cortex-a76; do
    check_golden_models "$cpu" qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$binary"
done
pi5="$(scripts/publish.sh linux-arm64 armv8.2-a,dotprod | tail -n 1)"
check_binary_size "linux-arm64 (armv8.2-a,dotprod)" "$pi5"
check_golden_models "cortex-a76 (armv8.2-a,dotprod build)" qemu-aarch64 -cpu cortex-a76 -L /usr/aarch64-linux-gnu "$pi5"
[[ $((checks - size_checks)) -gt 0 ]] || { echo "no golden fixtures found under tests/fixtures" >&2; exit 1; }

# bench under emulation says whose numbers it reports: the CPU as emulated, the peak RSS as qemu-user's (313 MiB against
# the program's 7), the other processes' cores as the host's (qemu-user zeroes /proc/self/stat; getrusage stands in).
bench_says_what_is_the_emulators() {
    local text json
    text="$(qemu-aarch64 -cpu cortex-a72 -L /usr/aarch64-linux-gnu "$binary" bench tests/fixtures/lenet300-factorized.elr --duration 1 --warmup-seconds 0 2>/dev/null)" || return 1
    json="$(qemu-aarch64 -cpu cortex-a72 -L /usr/aarch64-linux-gnu "$binary" bench tests/fixtures/lenet300-factorized.elr --duration 1 --warmup-seconds 0 --json 2>/dev/null)" || return 1
    grep -q "^cpu  *emulated arm64 on .* (timings and memory are the emulator's)" <<<"$text" \
        && grep -q "^peak RSS .*(VmHWM, of the emulator with the program in it" <<<"$text" \
        && grep -qE "^other processes  [0-9]+\.[0-9]{2} of the host's [0-9]+ cores" <<<"$text" \
        && grep -q '"emulated": true' <<<"$json" \
        && grep -qE '"otherProcessesCores": [0-9]' <<<"$json" \
        || { echo "$text"; echo "$json"; return 1; }
}
checks=$((checks + 1))
if bench_says_what_is_the_emulators; then
    echo "ok    cortex-a72  bench under emulation names the CPU, the peak RSS and the other processes' cores as the emulator's"
else
    echo "FAIL  cortex-a72  bench under emulation: the report above does not say which numbers are the emulator's"
    failures=$((failures + 1))
fi
echo "arm64 emulation: $((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
