# Sourced by the check-*.sh scripts: issue 2's limit on the size of a published elr-run, checked on each binary CI
# publishes (it grew from 2.78 MB to 4.33 MB over forty sessions of layers and options with no check, past the limit).
# check_binary_size LABEL FILE   adds to the caller's `checks`, `size_checks` and `failures`, which it must set to 0 first
# (`size_checks` so that a caller's "no golden model ran" guard can leave these out: checks − size_checks).
readonly ELR_RUN_SIZE_LIMIT=4000000   # bytes: "elr-run AOT binary ≤ 4 MB"
check_binary_size() {
    local label="$1" file="$2" size
    size="$(stat -c %s "$file")"
    checks=$((checks + 1))
    size_checks=$((size_checks + 1))
    if (( size <= ELR_RUN_SIZE_LIMIT )); then
        echo "ok    $label  elr-run is $size bytes (limit $ELR_RUN_SIZE_LIMIT)"
    else
        echo "FAIL  $label  elr-run is $size bytes, over the limit of $ELR_RUN_SIZE_LIMIT (issue 2); see what grew with -p:IlcGenerateMapFile=true"
        failures=$((failures + 1))
    fi
}
