#!/usr/bin/env bash
# Runs every test project of the solution and prints one summary line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test EdgeLowRank.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed)))
    skipped=$((skipped + $(value total) - $(value executed)))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [[ $passed -eq 0 && $status -eq 0 ]]; then echo "no test ran" >&2; exit 1; fi
exit $status
