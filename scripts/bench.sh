#!/usr/bin/env bash
# Runs the runtime's BenchmarkDotNet suites: kernels and sessions (EdgeLowRank.Runtime.Bench) and the
# whole-model comparison with ONNX Runtime (EdgeLowRank.Peers.Bench, after checking both engines agree).
# Extra arguments go to BenchmarkDotNet, e.g. `scripts/bench.sh --job short`. Reports land in
# BenchmarkDotNet.Artifacts/results/ (markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/EdgeLowRank.Peers.Bench -- verify
dotnet run -c Release --project bench/EdgeLowRank.Peers.Bench -- --filter '*' --exporters markdown "$@"
dotnet run -c Release --project bench/EdgeLowRank.Runtime.Bench -- --filter '*' --exporters markdown "$@"
