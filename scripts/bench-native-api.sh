#!/usr/bin/env bash
# What calling the runtime through libelr's C API costs: publishes elr-run and libelr.so for linux-x64 with the same
# instruction set, builds bench/native/elr_api_bench.c against the library, and runs both on every golden model at
# batch 1 (20,000 runs) and batch 64 (1,000 runs), alternating the two programs over ROUNDS rounds so that drift in
# the machine's speed falls on both. Prints each run's line; compare the p50s.
#
#   scripts/bench-native-api.sh [INSTRUCTION_SET] [ROUNDS]     (default: x86-64-v3, 2)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/published-elr-run.sh "$@"   # sets isa, rounds, work and elr_run
scripts/publish.sh --project runtime/EdgeLowRank.Runtime.Native linux-x64 "$isa" "$work/lib" | tail -n 2 | head -n 1
clang -std=c11 -Wall -Wextra -Werror -O2 -I "$work/lib" -o "$work/lib/elr_api_bench" bench/native/elr_api_bench.c \
    -L "$work/lib" -lelr -Wl,-rpath,'$ORIGIN'

for round in $(seq "$rounds"); do
    for model in tests/fixtures/lenet300-*.elr tests/fixtures/lenet5-*.elr; do
        for batch in 1 64; do
            runs=$([[ $batch == 1 ]] && echo 20000 || echo 1000)
            p50=$("$elr_run" bench "$model" --batch "$batch" --runs "$runs" | awk '/^per inference/ {print $9}')
            echo "round $round  elr-run $isa  $model  batch $batch  runs $runs: p50 $p50 us"
            echo "round $round  $("$work/lib/elr_api_bench" "$model" --batch "$batch" --runs "$runs")"
        done
    done
done
