#!/usr/bin/env bash
# Runs every test project of the solution (the runtime's twice: Release and Debug), lists each skipped test with its reason, and prints one summary
# line "tests: N passed, N failed, N skipped" (the last line; CI greps it).
set -euo pipefail
cd "$(dirname "$0")/.."

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test EdgeLowRank.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?
# The runtime's tests once more in Debug, where the kernels' Debug.Assert checks (spans, strides, shapes) are live:
# Release compiles them out, and the kernels read through unchecked references.
dotnet test tests/EdgeLowRank.Runtime.Tests -c Debug --logger "trx" --results-directory "$results" "$@" || status=$?

# Skipped tests, each with its reason (xunit's skip message, in the .trx as the result's Message).
skip_reasons() {
    awk '
        function unescape(s) {
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
            gsub(/&#xD;|&#xA;|&#13;|&#10;/, " ", s); gsub(/&amp;/, "\\&", s)
            return s
        }
        function report() { if (skip) printf "skipped  %s: %s\n", name, (msg == "" ? "(no reason given)" : msg); skip = 0 }
        /<UnitTestResult / {
            skip = /outcome="NotExecuted"/; name = ""; msg = ""; inmsg = 0
            if (match($0, /testName="[^"]*"/)) name = unescape(substr($0, RSTART + 10, RLENGTH - 11))
            if (/\/>[[:space:]]*$/) report()
            next
        }
        skip && /<Message>/ && msg == "" { inmsg = 1; sub(/.*<Message>/, "") }
        inmsg {
            line = $0
            if (sub(/<\/Message>.*/, "", line)) inmsg = 0
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", line)
            if (line != "") msg = msg (msg == "" ? "" : " ") unescape(line)
        }
        /<\/UnitTestResult>/ { report() }
    ' "$@"
}

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed)))
    skipped=$((skipped + $(value total) - $(value executed)))
done
[[ $skipped -eq 0 ]] || skip_reasons "$results"/*.trx
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [[ $passed -eq 0 && $status -eq 0 ]]; then echo "no test ran" >&2; exit 1; fi
exit $status
