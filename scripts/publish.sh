#!/usr/bin/env bash
# Publishes a program as a NativeAOT single binary (or libelr as a shared library) and fails on any AOT or trim warning.
#
#   scripts/publish.sh [--project DIR] RID [INSTRUCTION_SET] [OUT_DIR]
#
#   --project DIR    the project to publish; default runtime/EdgeLowRank.Runtime.Cli (elr-run);
#                    runtime/EdgeLowRank.Runtime.Native publishes libelr.so and its header elr.h
#   RID              linux-x64 or linux-arm64 (cross-compiled from an x64 host with clang); any other is refused at once
#   INSTRUCTION_SET  passed to the AOT compiler as IlcInstructionSet, e.g. x86-64-v3 (AVX2 PCs), x86-64-v4 (AVX-512 PCs),
#                    armv8.2-a,dotprod (Pi 5); empty = the default (x86-64-v2 / armv8.0-a: Pi 3 and 4); a name the
#                    AOT compiler does not know fails with its message and the names it takes (ilc --help)
#   OUT_DIR          default: artifacts/publish/NAME/RID[-INSTRUCTION_SET], NAME the project's assembly (elr-run, libelr;
#                    commas become _: artifacts/publish/elr-run/linux-arm64-armv8.2-a_dotprod), emptied first: each
#                    project has folders of its own, so publishing libelr leaves elr-run's alone; a folder given here
#                    is not emptied (scripts/publish-pi.sh publishes several programs into one)
#
# Needs a C toolchain and zlib (apt: clang zlib1g-dev; the AOT compiler falls back to gcc for linux-x64),
# and for linux-arm64 from x64 also binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross.
# The program is published into an empty temporary folder and copied to OUT_DIR without symbol and
# documentation files (*.dbg, *.pdb, *.xml): builds without DebugType=none leave those in bin/ folders
# (bin/.../native/NAME.dbg, a referenced library's .pdb and .xml), and publish would copy them along.
#
# The binary (or library) is printed on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."

project=runtime/EdgeLowRank.Runtime.Cli
if [[ "${1:-}" == "--project" ]]; then project="${2:?--project needs a folder}"; shift 2; fi
rid="${1:?usage: scripts/publish.sh [--project DIR] RID [INSTRUCTION_SET] [OUT_DIR]}"
isa="${2:-}"
out="${3:-}"
# The projects and their native dependencies are built for these two only: another RID (linux-riscv64, win-x64) failed at
# restore after half a minute with a misleading hint about packages, so it is refused before anything runs.
case "$rid" in
    linux-x64|linux-arm64) ;;
    *) echo "scripts/publish.sh: RID '$rid' is not supported; give linux-x64 (PCs) or linux-arm64 (Raspberry Pi 3, 4, 5)." >&2
       exit 1 ;;
esac
name="$(dotnet msbuild "$project" -getProperty:AssemblyName)"
own_out=""
[[ -n "$out" ]] || { out="artifacts/publish/$name/${rid}${isa:+-${isa//,/_}}"; own_out=1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/publish.log"
args=(-c Release -r "$rid" -o "$work/out" -p:DebugType=none -p:GenerateDocumentationFile=false)
# MSBuild reads a comma as a property separator: escape it (armv8.2-a,dotprod).
[[ -n "$isa" ]] && args+=("-p:IlcInstructionSet=${isa//,/%2C}")
[[ "$rid" == linux-arm64 && "$(uname -m)" == x86_64 ]] && args+=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)

# The Debian packages NativeAOT needs for $rid on this host (docs/DEPLOY-PI.md §2).
needed=(clang zlib1g-dev)
[[ "$rid" == linux-arm64 && "$(uname -m)" == x86_64 ]] && needed+=(binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross)

if ! dotnet publish "$project" "${args[@]}" >"$log" 2>&1; then
    # A wrong INSTRUCTION_SET (a CPU's name such as cortex-a72, a typo) makes ILC throw: its one useful line was buried
    # under a stack trace and followed by the packages hint. Say it alone, with the names ILC takes for this RID, listed
    # by the ILC that ran (its path is in the log), so the list fits the compiler's version.
    if unrecognized="$(grep -m1 -o "Unrecognized instruction set [^ ]*" "$log")"; then
        echo "publish of $project for $rid failed: the AOT compiler says \"$unrecognized\"." >&2
        ilc="$(grep -m1 -o '"[^"]*/tools/ilc"' "$log" | tr -d '"' || true)"
        if [[ -n "$ilc" && -x "$ilc" ]]; then
            echo "INSTRUCTION_SET takes these names for ${rid#linux-}, joined by commas (from ilc --help):" >&2
            "$ilc" --help 2>/dev/null | grep -E "^(${rid#linux-}: |x86-64, )" \
                | sed -e "s/^${rid#linux-}: /  features: /" -e "s/^x86-64, /  or a group: x86-64, /" >&2 || true
        fi
        echo "Raspberry Pi: leave it empty for a Pi 3 or 4 (armv8.0-a), armv8.2-a,dotprod for a Pi 5; PCs: x86-64-v3 (AVX2) or x86-64-v4 (AVX-512)." >&2
        exit 1
    fi
    cat "$log"
    # Name packages only when dpkg says they are missing: a failure with all of them installed has its cause in the log.
    if command -v dpkg-query >/dev/null; then
        missing=()
        for package in "${needed[@]}"; do
            dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
        done
        if (( ${#missing[@]} )); then
            echo "publish of $project failed for $rid (log above). NativeAOT needs packages that are not installed: sudo apt-get install ${missing[*]}" >&2
        else
            echo "publish of $project failed for $rid: the cause is in the log above (the packages NativeAOT needs, ${needed[*]}, are installed)." >&2
        fi
    else
        echo "publish of $project failed for $rid (log above). NativeAOT needs a C toolchain and zlib; on Debian: ${needed[*]}" >&2
    fi
    exit 1
fi
# AOT analysis (IL2xxx/IL3xxx) warnings mean code that may break after trimming: none are allowed
# (a sample that carries documented ones suppresses exactly those in its project file).
if grep -E "warning IL[0-9]{4}" "$log"; then
    echo "publish of $project for $rid produced AOT/trim warnings (above); fix them before shipping." >&2
    exit 1
fi
find "$work/out" \( -name '*.dbg' -o -name '*.pdb' -o -name '*.xml' \) -delete
[[ -z "$own_out" ]] || rm -rf "$out"
mkdir -p "$out"
binary="$out/$name"
# A library project (NativeLib=Shared) publishes NAME.so rather than an executable. One with a SONAME (libelr.so.3) is
# renamed to it, as a program linked against it will look for that name, and NAME.so becomes the link that -lNAME and
# Python's ctypes open. A previous publish into the same folder left that link: copying through it would overwrite
# the library it points to, so both go first.
soname="$(dotnet msbuild "$project" -getProperty:SharedLibrarySoname)"
[[ -z "$soname" ]] || rm -f "$binary.so" "$out/$soname"
cp -a "$work/out/." "$out/"
[[ -f "$binary" || ! -f "$binary.so" ]] || binary="$binary.so"
if [[ "$binary" == *.so && -n "$soname" ]]; then
    mv "$binary" "$out/$soname"
    ln -sfn "$soname" "$binary"
fi
echo "published $(basename "$binary")${soname:+ ($soname)} for $rid${isa:+ ($isa)}: $(stat -L -c %s "$binary") bytes, zero AOT/trim warnings"
echo "$binary"
