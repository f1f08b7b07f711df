# Sourced by the benchmark scripts: takes their arguments [INSTRUCTION_SET] [ROUNDS] (default: x86-64-v3, 2), makes a work
# folder that is removed on exit, publishes elr-run for linux-x64 with NativeAOT there, prints the publish line, and sets
# isa, rounds, work and elr_run.
isa="${1:-x86-64-v3}"
rounds="${2:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
published="$(scripts/publish.sh linux-x64 "$isa" "$work/cli" | tail -n 2)"
echo "${published%%$'\n'*}"
elr_run="${published##*$'\n'}"
