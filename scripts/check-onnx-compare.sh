#!/usr/bin/env bash
# The comparison a user runs on their own ONNX file (docs/ONNX.md, "Checking your import against ONNX Runtime"), on files
# torch.onnx.export wrote (scripts/export-torch-models.py, into $ELR_TORCH_EXPORTS): each imported here and run by both
# engines must agree; LeNet-5 imported with elr import-onnx and its normalization must agree when compared with the same
# normalization, and one imported with another standard deviation must be reported as differing (exit 1), or the
# comparison would pass anything.
set -euo pipefail
cd "$(dirname "$0")/.."
exports="${ELR_TORCH_EXPORTS:?set ELR_TORCH_EXPORTS to the folder scripts/export-torch-models.py wrote}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for project in compressor/EdgeLowRank.Compressor.Cli bench/EdgeLowRank.Peers.Bench; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done
elr=compressor/EdgeLowRank.Compressor.Cli/bin/Release/net10.0/elr
compare() { dotnet bench/EdgeLowRank.Peers.Bench/bin/Release/net10.0/EdgeLowRank.Peers.Bench.dll compare "$@"; }

for model in lenet5 zero_padded mobilenet_v3_small; do
    echo "-- $model.onnx, imported by the comparison"
    compare "$exports/$model.onnx" --samples 8
done

echo "-- lenet5.onnx against elr import-onnx's file, normalization (x - 0.1307) / 0.3081"
"$elr" import-onnx "$exports/lenet5.onnx" -o "$work/lenet5.elr" --input-mean 0.1307 --input-std 0.3081 >/dev/null
compare "$exports/lenet5.onnx" --model "$work/lenet5.elr" --input-mean 0.1307 --input-std 0.3081

echo "-- lenet5.onnx against a file imported with std 0.3 (must differ)"
"$elr" import-onnx "$exports/lenet5.onnx" -o "$work/wrong.elr" --input-mean 0.1307 --input-std 0.3 >/dev/null
status=0
compare "$exports/lenet5.onnx" --model "$work/wrong.elr" --input-mean 0.1307 --input-std 0.3081 || status=$?
if [ "$status" -ne 1 ]; then
    echo "FAIL: the comparison of a wrongly normalized import exited $status, not 1 (differ)" >&2
    exit 1
fi
echo "reported as differing, as it must"
