#!/usr/bin/env bash
# Packs the runtime library as a NuGet package, EdgeLowRank.Runtime.VERSION.nupkg, for a .NET app to reference as it
# references Microsoft.ML.OnnxRuntime (README, "The runtime from .NET").
#
#   scripts/pack.sh [OUT_DIR]      OUT_DIR default: artifacts/packages
#
# The package holds the library, its XML documentation and README; its dependencies are the BCL's own packages
# (System.IO.Hashing, System.Numerics.Tensors). The package is printed on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
mkdir -p "$out"
dotnet pack runtime/EdgeLowRank.Runtime -c Release -o "$out" -nologo -v quiet >&2
version="$(dotnet msbuild runtime/EdgeLowRank.Runtime -getProperty:Version)"
package="$out/EdgeLowRank.Runtime.$version.nupkg"
[[ -f "$package" ]] || { echo "scripts/pack.sh: dotnet pack wrote no $package" >&2; exit 1; }
echo "$package"
