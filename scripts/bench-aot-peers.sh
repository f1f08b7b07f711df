#!/usr/bin/env bash
# EdgeLowRank built as PC users run it (NativeAOT for x86-64-v3 with elr-run's settings, as scripts/publish.sh linux-x64
# x86-64-v3 publishes it) against ONNX Runtime 1.31.1 in the same benchmark process, one thread each, batch 1 and 64, on
# the twelve golden models of bench/RESULTS.md's standing table (which times the JIT, x86-64-v4 on an AVX-512 CPU). Runs
#
#   dotnet run -c Release --project bench/EdgeLowRank.Peers.Bench -- --aot --logBuildOutput ARGS
#
# (ARGS default: --filter '*WholeModelBenchmarks*' --job short), with the conditions a table needs printed before and
# after (commit, UTC time, load average, CPU family and model). Each benchmark's setup prints the largest difference
# between the two engines' outputs and refuses to time beyond verify's 1e-5. The AOT compiler's warnings fail the build,
# except four codes BenchmarkDotNet's own assemblies raise (bench/EdgeLowRank.Peers.Bench/DeployedBuild.cs); two of them
# only name an assembly, so afterwards this checks the build log: any such warning from an assembly other than
# BenchmarkDotNet's makes the script fail, and then the run's figures are not to be used.
#
#   [ISA=x86-64-v4] scripts/bench-aot-peers.sh [BENCHMARKDOTNET_ARGS...]
#
# ISA is the AOT compiler's instruction set, x86-64-v3 by default (the PC build); x86-64-v4 is the build for AVX-512 PCs,
# which ONNX Runtime's kernels use on such a CPU whatever it was built for (they choose at run time).
#
# Takes about 10 minutes on the 2-core development VM: the AOT compile of the benchmark process 3-6 minutes under load
# (188, 299 and 361 s at load averages of 6 to 16), then 48 benchmarks of about 7 s each in ShortRun. The log is kept in LOG
# (default /tmp/bench-aot-peers.log); BenchmarkDotNet's reports land in BenchmarkDotNet.Artifacts/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
log="${LOG:-/tmp/bench-aot-peers.log}"
(( $# )) || set -- --filter '*WholeModelBenchmarks*' --job short

conditions() {
    echo "== $1: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
}
commit="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- bench runtime compressor || commit="$commit (with uncommitted changes in bench/, runtime/ or compressor/)"
echo "== commit $commit"
echo "== CPU: $(lscpu | sed -n -e 's/^Model name: *//p'), family $(lscpu | sed -n -e 's/^CPU family: *//p'), model $(lscpu | sed -n -e 's/^Model: *//p'), AVX-512: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
conditions start
echo "== EdgeLowRank built for ${ISA:-x86-64-v3}"
dotnet run -c Release --project bench/EdgeLowRank.Peers.Bench -- --aot "${ISA:-x86-64-v3}" --logBuildOutput "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
conditions end

# The warnings the build let through (DeployedBuild.AllowedWarnings): IL2104/IL3053 name the assembly, IL3000/IL3002 the
# member. Only BenchmarkDotNet's assemblies (and the tracing library it brings) may raise them.
unexpected="$(grep -E "warning IL[0-9]{4}" "$log" | grep -v -E \
    -e "Assembly '(BenchmarkDotNet|CommandLine|Microsoft\.CodeAnalysis|Microsoft\.Diagnostics\.Tracing\.TraceEvent|Microsoft\.Diagnostics\.FastSerialization|Gee\.External\.Capstone)' produced" \
    -e "warning IL300[02]: (BenchmarkDotNet\.|Microsoft\.Diagnostics\.|NativeDlls\.)" | sort -u || true)"
if [[ -n "$unexpected" ]]; then
    echo "bench-aot-peers: the AOT compiler warned about code outside BenchmarkDotNet (above it may have left out or not compiled what the benchmarks run); do not use these figures:" >&2
    echo "$unexpected" >&2
    exit 1
fi
# BenchmarkDotNet exits with 0 after a failed build or benchmark too.
if ! grep -q "X64 NativeAOT ${ISA:-x86-64-v3}" "$log"; then
    echo "bench-aot-peers: no NativeAOT ${ISA:-x86-64-v3} benchmark process ran (a failed build? its errors are in $log); nothing was timed as deployed." >&2
    exit 1
fi
if grep -q "^Benchmarks with issues:" "$log"; then
    echo "bench-aot-peers: some benchmarks failed (\"Benchmarks with issues\" in $log; a disagreement between the engines stops a benchmark's setup)." >&2
    exit 1
fi
exit "$status"
