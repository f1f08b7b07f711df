#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with AFL++ and SharpFuzz, for a time budget, then a summary and each crash replayed.
#   scripts/fuzz.sh TARGET SECONDS       TARGET: elr (.elr reader + batched, threaded session runs checked against one thread),
#                                        inputs (elr-run's .npy/IDX), onnx (import-onnx of mutated files), onnx-graph (import-onnx
#                                        of graphs built from the bytes)
# Needs, and installs none of them: afl-fuzz (Debian: apt-get install afl++) and the sharpfuzz tool pinned in
# tests/EdgeLowRank.Fuzz/dotnet-tools.json (cd tests/EdgeLowRank.Fuzz && dotnet tool restore).
# Work folder: artifacts/fuzz/TARGET (ignored by git): bin/ the instrumented build, in/ the seeds, out/ AFL's findings.
# A second run of the same target resumes from out/, and so ignores in/: delete out/ to start from new seeds.
# One fuzzer takes one core: run one at a time on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-}" seconds="${2:-}"
case "$target" in
    elr) instrument=("EdgeLowRank.Runtime.dll") ;;
    inputs) instrument=("elr-run.dll EdgeLowRank.Runtime.Cli.Inputs" "EdgeLowRank.Runtime.dll EdgeLowRank.Runtime.IO") ;;
    onnx|onnx-graph) instrument=("EdgeLowRank.Onnx.dll") ;;
    *) echo "usage: $0 elr|inputs|onnx|onnx-graph SECONDS" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found; install AFL++ (Debian: apt-get install afl++)" >&2; exit 1; }
harness=tests/EdgeLowRank.Fuzz
(cd "$harness" && dotnet tool run sharpfuzz >/dev/null 2>&1) \
    || { echo "fuzz.sh: the sharpfuzz tool is not installed; run: (cd $harness && dotnet tool restore)" >&2; exit 1; }

work="artifacts/fuzz/$target"
bin="$work/bin"
echo "== build $harness into $bin"
rm -rf "$bin" # sharpfuzz refuses an assembly it has instrumented already: start from a fresh build
dotnet build -c Release "$harness" -o "$bin" -v quiet -nologo | grep -E "error|warn" || true
[[ -f "$bin/EdgeLowRank.Fuzz.dll" ]] || { echo "fuzz.sh: the build failed" >&2; exit 1; }
if [[ ! -d "$work/in" ]]; then
    echo "== seeds into $work/in"
    dotnet "$bin/EdgeLowRank.Fuzz.dll" seeds "$target" tests/fixtures "$work/in" # before instrumenting: it runs outside AFL
fi
for item in "${instrument[@]}"; do
    read -r dll prefix <<<"$item"
    echo "== instrument $dll ${prefix:-(all types)}"
    (cd "$harness" && dotnet tool run sharpfuzz "$OLDPWD/$bin/$dll" ${prefix:+"$prefix"})
done

echo "== afl-fuzz $target for $seconds s"
# dotnet itself is not instrumented (the assemblies are), hence the binary check is skipped; no core binding on a shared
# machine; the managed heap is capped so a size read from the input that allocates gigabytes fails here as a crash.
resume=()
[[ -d "$work/out/default" ]] && resume=(env AFL_AUTORESUME=1)
"${resume[@]}" env AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    DOTNET_GCHeapHardLimit=0x80000000 \
    nice -n 10 afl-fuzz -V "$seconds" -t 5000 -m none -i "$work/in" -o "$work/out" -- dotnet "$bin/EdgeLowRank.Fuzz.dll" "$target" \
    >"$work/afl.log" 2>&1 || { tail -30 "$work/afl.log" >&2; exit 1; }

stats="$work/out/default/fuzzer_stats"
echo "== $target: $(grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs) ' "$stats" | tr -s ' ' | tr '\n' ' ')"
shopt -s nullglob
for kind in crashes hangs; do
    for file in "$work/out/default/$kind"/id:*; do
        echo "-- $kind: $file"
        # Replayed on the uninstrumented build would need a second build; the instrumented one runs a single input as well.
        timeout 20 dotnet "$bin/EdgeLowRank.Fuzz.dll" "$target" <"$file" 2>&1 | head -8 || true
    done
done
