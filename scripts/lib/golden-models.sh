# Sourced by the check-*.sh scripts: runs one published elr-run on every golden model and counts the results.
# check_golden_models LABEL COMMAND...   (COMMAND is the binary, or an emulator and its options before it)
# Every golden model runs at batch 1 (the GEMV kernels) and with all its samples at once (the GEMM kernels);
# the outputs must match the expected ones within 1e-5 of the sample's largest output. Adds to the caller's
# `checks` and `failures`, which it must set to 0 first.
check_golden_models() {
    local label="$1" model stem batch result
    shift
    for batch in 1 all; do
        for model in tests/fixtures/*.elr; do
            stem="${model%.elr}"
            [[ -f "$stem.input.f32" && -f "$stem.expected.f32" ]] || continue
            checks=$((checks + 1))
            if result=$("$@" run "$model" --batch "${batch/all/0}" \
                    --input "$stem.input.f32" --expect "$stem.expected.f32" --rtol 1e-5 --quiet 2>&1); then
                echo "ok    $label  batch $batch  $(basename "$model"): $result"
            else
                echo "FAIL  $label  batch $batch  $(basename "$model"): $result"
                failures=$((failures + 1))
            fi
        done
    done
}
