#!/usr/bin/env bash
# Packs the runtime (scripts/pack.sh) and builds an app outside the repository against that package alone, as a .NET
# developer would (tests/PackageConsumer: the SDK's defaults, warnings as errors): it runs every golden model under the JIT,
# then the same app published with NativeAOT for linux-x64, natively, and for linux-arm64 under qemu (Cortex-A72), each
# model as one batch and sample by sample from four threads, within 1e-5 of the recorded outputs. A trim or AOT warning
# from the library fails the publish. Needs what scripts/publish.sh needs, and qemu-user for the arm64 run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

package="$(scripts/pack.sh "$work/packages" | tail -n 1)"
version="$(dotnet msbuild runtime/EdgeLowRank.Runtime -getProperty:Version)"
echo "packed $(basename "$package") ($(stat -c %s "$package") bytes)"
# A package of this version restored before (a check of an older commit) would be taken from the cache instead of this one.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/edgelowrank.runtime/$version"

cp -r tests/PackageConsumer "$work/app"
rm -rf "$work/app/bin" "$work/app/obj"
# The package's folder beside the sources the machine already uses (its registries), which this file does not clear.
# The version the check packed, for the app's exact reference.
cat > "$work/app/Directory.Build.props" <<PROPS
<Project>
  <PropertyGroup>
    <EdgeLowRankVersion>$version</EdgeLowRankVersion>
  </PropertyGroup>
</Project>
PROPS
cat > "$work/app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="edgelowrank-check" value="$work/packages" />
  </packageSources>
</configuration>
CONFIG
cd "$work/app"

failures=0
run_check() {
    local label="$1"; shift
    if output="$("$@" "$repo/tests/fixtures" 2>&1)"; then
        echo "ok    $label: $(tail -n 1 <<<"$output")"
    else
        echo "FAIL  $label:"
        echo "$output"
        failures=$((failures + 1))
    fi
}

dotnet build -c Release -nologo -v quiet
run_check "JIT" dotnet bin/Release/net10.0/PackageConsumer.dll

# Published as scripts/publish.sh publishes elr-run (its cross-compiling settings and its refusal of AOT warnings).
cd "$repo"
x64="$(scripts/publish.sh --project "$work/app" linux-x64 "" "$work/x64" | tail -n 1)"
run_check "NativeAOT linux-x64 ($(stat -c %s "$x64") bytes)" "$x64"

arm64="$(scripts/publish.sh --project "$work/app" linux-arm64 "" "$work/arm64" | tail -n 1)"
run_check "NativeAOT linux-arm64 under qemu Cortex-A72 ($(stat -c %s "$arm64") bytes)" qemu-aarch64 -cpu cortex-a72 -L /usr/aarch64-linux-gnu "$arm64"

echo "package: $((3 - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
