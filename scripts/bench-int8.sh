#!/usr/bin/env bash
# What int8 weights cost or save in speed: publishes elr-run for linux-x64 with NativeAOT and runs it on each golden model
# that has an int8 twin (tests/fixtures/NAME-int8.elr) and on the twin, at batch 1 (20,000 runs) and batch 64 (1,000
# runs), alternating f32 and int8 over ROUNDS rounds so that drift in the machine's speed falls on both. Prints one line
# per run: p50 and p99 in microseconds, and the arena and packed-weight bytes.
#
#   scripts/bench-int8.sh [INSTRUCTION_SET] [ROUNDS]     (default: x86-64-v3, 2)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/published-elr-run.sh "$@"   # sets isa, rounds, work and elr_run

for round in $(seq "$rounds"); do
    for twin in tests/fixtures/*-int8.elr; do
        for model in "${twin%-int8.elr}.elr" "$twin"; do
            for batch in 1 64; do
                runs=$([[ $batch == 1 ]] && echo 20000 || echo 1000)
                report="$("$elr_run" bench "$model" --batch "$batch" --runs "$runs")"
                p50=$(awk '/^per inference/ {print $9}' <<< "$report")
                p99=$(awk '/^per inference/ {print $12}' <<< "$report")
                memory=$(awk '/^arena / {printf "arena %s %s; ", $2, $3} /^packed weights / {printf "packed %s %s", $3, $4}' <<< "$report")
                echo "round $round  $isa  $(basename "$model")  batch $batch  runs $runs: p50 $p50 us  p99 $p99 us  $memory"
            done
        done
    done
done
