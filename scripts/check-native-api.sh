#!/usr/bin/env bash
# Publishes libelr.so, the runtime's C library (NativeAOT, runtime/EdgeLowRank.Runtime.Native), for linux-x64 and
# linux-arm64, compiles tests/native/elr_api_check.c against each through the published elr.h, and runs the check on
# every golden model: natively on x64, and under qemu-aarch64 on the cores of Raspberry Pi 3, 4 and 5 (Cortex-A53, A72,
# A76). The check compares the outputs with the expected ones (one sample at a time, the whole batch, two threads on
# one session), integer pixels with their floats p / scale bit for bit, reads the models' metadata, and feeds every
# function the bad arguments and damaged models the header names. tests/native/elr_first_call.c
# makes each function in turn a process's first call into the library (which starts its runtime), and all of them at once
# from threads released together, on the same CPUs. tests/native/elr_close_race.c closes sessions while four threads call
# into them, round after round, natively and on a Pi 4's core. The Python example
# (runtime/EdgeLowRank.Runtime.Native/examples/classify.py, ctypes) runs on every golden model with the x64 library, fed
# float32 and, through elr_session_run_pixels, uint8 .npy files (by the model's recorded scale where it records one), and
# scores them against --labels as elr-run run --labels words it; and it must warn of float pixels a model would misread, as
# elr-run does, and of no others (channel-affine records a pixel scale, folded-normalization only its normalization).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in clang nm readelf qemu-aarch64 aarch64-linux-gnu-objcopy python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install clang binutils binutils-aarch64-linux-gnu libc6-dev-arm64-cross libgcc-12-dev-arm64-cross qemu-user python3" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Each check binary finds its library beside it ($ORIGIN), as a program shipped with libelr.so would.
build_check() {
    local rid="$1" dir="$work/$1"
    shift
    scripts/publish.sh --project runtime/EdgeLowRank.Runtime.Native "$rid" "" "$dir" | tail -n 2 | head -n 1 >&2
    clang "$@" -std=c11 -Wall -Wextra -Werror -O2 -I "$dir" -o "$dir/elr_api_check" tests/native/elr_api_check.c \
        -L "$dir" -lelr -Wl,-rpath,'$ORIGIN' -pthread -lm
    clang "$@" -std=c11 -Wall -Wextra -Werror -O2 -I "$dir" -o "$dir/elr_first_call" tests/native/elr_first_call.c \
        -L "$dir" -lelr -Wl,-rpath,'$ORIGIN' -pthread
    clang "$@" -std=c11 -Wall -Wextra -Werror -O2 -I "$dir" -o "$dir/elr_close_race" tests/native/elr_close_race.c \
        -L "$dir" -lelr -Wl,-rpath,'$ORIGIN' -pthread
    # The header from C++ (it promises C++ callers): ELR_OPTIONS_INIT must pass -Wextra -Werror, where C's {0} does not.
    clang++ "$@" -std=c++11 -Wall -Wextra -Werror -pedantic -fsyntax-only -I "$dir" tests/native/elr_cplusplus.cpp
    echo "$dir/elr_api_check"
}
x64_check="$(build_check linux-x64)"
arm64_check="$(build_check linux-arm64 --target=aarch64-linux-gnu)"

checks=0
failures=0
# run_check LABEL EXPECT_OPTION COMMAND...: runs COMMAND MODEL INPUT [EXPECT_OPTION] EXPECTED on every golden model.
run_check() {
    local label="$1" expect_option="$2" model stem result
    shift 2
    for model in tests/fixtures/*.elr; do
        stem="${model%.elr}"
        [[ -f "$stem.input.f32" && -f "$stem.expected.f32" ]] || continue
        checks=$((checks + 1))
        if result=$("$@" "$model" "$stem.input.f32" ${expect_option:+"$expect_option"} "$stem.expected.f32" 2>&1); then
            echo "ok    $label  $(basename "$model"): ${result##*$'\n'}"
        else
            echo "FAIL  $label  $(basename "$model"): $result"
            failures=$((failures + 1))
        fi
    done
}
run_check x64 "" "$x64_check"
for cpu in cortex-a53 cortex-a72 cortex-a76; do
    run_check "$cpu" "" qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$arm64_check"
done
# run_first_calls LABEL COMMAND...: COMMAND FUNCTION MODEL for every function of the library, each in a new process;
# fewer functions than the library exports (a --list that printed nothing under qemu) is a failure too.
run_first_calls() {
    local label="$1" function result count=0
    shift
    for function in $("$@" --list); do
        count=$((count + 1))
        checks=$((checks + 1))
        if result=$("$@" "$function" tests/fixtures/lenet300-factorized.elr 2>&1); then
            echo "ok    $label  first call: $result"
        else
            echo "FAIL  $label  first call $function: $result"
            failures=$((failures + 1))
        fi
    done
    if [[ $count -ne $(wc -l <<<"$exports") ]]; then
        echo "FAIL  $label  first call: $count functions run, but libelr.so exports $(wc -l <<<"$exports")"
        checks=$((checks + 1))
        failures=$((failures + 1))
    fi
}
# run_together LABEL RUNS COMMAND...: RUNS new processes, in each of which every function is the first call of its own
# thread, all released at once (the runtime starts while the others call in). Under qemu a process of eleven threads once
# spun for ten minutes without ending (its ten reruns took 0.7 s each): a run that has not ended after 120 s is stopped and
# run once more, and its line says so.
run_together() {
    local label="$1" runs="$2" run result status retried
    shift 2
    for run in $(seq "$runs"); do
        checks=$((checks + 1))
        retried=""
        result=$(timeout 120 "$@" --together tests/fixtures/lenet300-factorized.elr 2>&1) && status=0 || status=$?
        if [[ $status -eq 124 ]]; then
            retried=" (the first attempt did not end within 120 s and was stopped)"
            result=$(timeout 120 "$@" --together tests/fixtures/lenet300-factorized.elr 2>&1) && status=0 || status=$?
        fi
        if [[ $status -eq 0 ]]; then
            echo "ok    $label  first calls together, run $run of $runs: $result$retried"
        else
            echo "FAIL  $label  first calls together, run $run of $runs: $result"
            failures=$((failures + 1))
        fi
    done
}
# The SONAME must name the header's API version, so a program built against one API never loads another.
api="$(awk '$1 == "#define" && $2 == "ELR_API_VERSION" { print $3 }' runtime/EdgeLowRank.Runtime.Native/include/elr.h)"
for lib in "$(dirname "$x64_check")/libelr.so" "$(dirname "$arm64_check")/libelr.so"; do
    checks=$((checks + 1))
    soname="$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
    if [[ -n "$api" && "$soname" == "libelr.so.$api" && -f "$(dirname "$lib")/$soname" ]]; then
        echo "ok    $(basename "$(dirname "$lib")")  SONAME $soname: ELR_API_VERSION $api, and the file beside its libelr.so link"
    else
        echo "FAIL  $(basename "$(dirname "$lib")")  SONAME '$soname' is not libelr.so.$api (ELR_API_VERSION in elr.h), or no such file beside libelr.so"
        failures=$((failures + 1))
    fi
done
# The checker's list must be the library's exports, so a function added to the C API cannot go without its first-call run.
checks=$((checks + 1))
exports="$(nm -D --defined-only "$(dirname "$x64_check")/libelr.so" | awk '$2 == "T" && $3 ~ /^elr_/ { sub(/@.*/, "", $3); print $3 }' | sort)"
listed="$("$(dirname "$x64_check")/elr_first_call" --list | sort)"
if [[ -n "$exports" && "$exports" == "$listed" ]]; then
    echo "ok    x64  first call: elr_first_call --list names the $(wc -l <<<"$exports") functions libelr.so exports"
else
    echo "FAIL  x64  first call: elr_first_call --list ($(tr '\n' ' ' <<<"$listed")) is not what libelr.so exports ($(tr '\n' ' ' <<<"$exports"))"
    failures=$((failures + 1))
fi
run_first_calls x64 "$(dirname "$x64_check")/elr_first_call"
run_together x64 20 "$(dirname "$x64_check")/elr_first_call"
for cpu in cortex-a53 cortex-a72 cortex-a76; do
    run_first_calls "$cpu" qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$(dirname "$arm64_check")/elr_first_call"
    run_together "$cpu" 5 qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$(dirname "$arm64_check")/elr_first_call"
done
# run_close_race LABEL ROUNDS COMMAND...: COMMAND MODEL ROUNDS, whose process must end with exit 0 (not killed by a signal).
run_close_race() {
    local label="$1" rounds="$2" result status
    shift 2
    checks=$((checks + 1))
    result=$("$@" tests/fixtures/lenet300-factorized.elr "$rounds" 2>&1) && status=0 || status=$?
    if [[ $status -eq 0 ]]; then
        echo "ok    $label  close while calling: $result"
    else
        echo "FAIL  $label  close while calling, exit $status: $(grep -v '^   at ' <<<"$result" | head -n 5)"
        failures=$((failures + 1))
    fi
}
run_close_race x64 200 "$(dirname "$x64_check")/elr_close_race"
run_close_race cortex-a72 10 qemu-aarch64 -cpu cortex-a72 -L /usr/aarch64-linux-gnu "$(dirname "$arm64_check")/elr_close_race"
run_check python --expect python3 runtime/EdgeLowRank.Runtime.Native/examples/classify.py --threads 2 --library "$(dirname "$x64_check")/libelr.so"
# classify.py's uint8 path (elr_session_run_pixels): a .npy of bytes made from each golden input must print the classes and
# scores of the same bytes / scale given as a .npy of float32, the scale being the one classify.py reports first (asked
# with bytes of full scale 1, which every scale takes): the model's input.pixel-max (channel-affine records 16), else 255.
# At least one golden model must record a scale, so that path is run too.
run_python_pixels() {
    local model stem fed scale from_pixels from_floats recording=0
    local classify=(python3 runtime/EdgeLowRank.Runtime.Native/examples/classify.py --library "$1")
    for model in tests/fixtures/*.elr; do
        stem="${model%.elr}"
        [[ -f "$stem.input.f32" ]] || continue
        checks=$((checks + 1))
        from_pixels="" from_floats=""
        python3 scripts/lib/pixels-npy.py "$stem.input.f32" 1 "$work/pixels.npy" "$work/floats.npy"
        fed="$("${classify[@]}" "$model" "$work/pixels.npy" 2>&1)" || true
        fed="${fed%%$'\n'*}"
        case "$fed" in
            "pixels fed as p / 255 (the scale of byte images; the model records none)") scale=255 ;;
            "pixels fed as p / "*" (the model's input.pixel-max)") scale="${fed#pixels fed as p / }" scale="${scale%% *}" recording=$((recording + 1)) ;;
            *) scale="" ;;
        esac
        [[ -n "$scale" ]] && python3 scripts/lib/pixels-npy.py "$stem.input.f32" "$scale" "$work/pixels.npy" "$work/floats.npy"
        if [[ -n "$scale" ]] && from_pixels="$("${classify[@]}" "$model" "$work/pixels.npy" 2>&1)" && from_floats="$("${classify[@]}" "$model" "$work/floats.npy" 2>&1)" \
            && [[ "$(head -n 1 <<<"$from_pixels")" == "$fed" ]] \
            && [[ "$(tail -n +2 <<<"$from_pixels")" == "$from_floats" ]]; then
            echo "ok    python  $(basename "$model"): uint8 pixels print what their floats / $scale print ($(wc -l <<<"$from_floats") samples)"
        else
            echo "FAIL  python  $(basename "$model"): uint8 pixels and their floats / ${scale:-?} print differently: ${fed:-(no scale line)} | $(head -n 3 <<<"${from_pixels:-}" | tr '\n' ' ')| $(head -n 2 <<<"${from_floats:-}" | tr '\n' ' ')"
            failures=$((failures + 1))
        fi
    done
    checks=$((checks + 1))
    if [[ $recording -gt 0 ]]; then
        echo "ok    python  $recording golden model(s) record input.pixel-max, and classify.py's uint8 path divided by it"
    else
        echo "FAIL  python  no golden model records input.pixel-max, so no check saw a recorded pixel scale used"
        failures=$((failures + 1))
    fi
}
run_python_pixels "$(dirname "$x64_check")/libelr.so"
# classify.py --labels: on each golden input, labels of each sample's own top class score 100.00%, and labels of its
# second class 0.00% at top-1 and 100.00% at --top 2, in elr-run run --labels's words; then labels of the wrong count,
# of floats and of a class the model lacks are refused with the reason.
run_python_labels() {
    local model stem top2 firsts seconds n result expected
    local classify=(python3 runtime/EdgeLowRank.Runtime.Native/examples/classify.py --library "$1")
    for model in tests/fixtures/*.elr; do
        stem="${model%.elr}"
        [[ -f "$stem.input.f32" ]] || continue
        checks=$((checks + 1))
        top2="$("${classify[@]}" "$model" "$stem.input.f32" --top 2 2>&1)" || true
        mapfile -t firsts < <(sed -n 's/^sample [0-9]*: class \([0-9]*\), .*  class [0-9]*, .*/\1/p' <<<"$top2")
        mapfile -t seconds < <(sed -n 's/^sample [0-9]*: class [0-9]*, .*  class \([0-9]*\), .*/\1/p' <<<"$top2")
        n=${#firsts[@]}
        python3 scripts/lib/labels-npy.py "$work/right.npy" '<i8' "${firsts[@]}"
        python3 scripts/lib/labels-npy.py "$work/second.npy" '|u1' "${seconds[@]}"
        expected="accuracy 100.00% (0 of $n wrong) against $work/right.npy
accuracy 0.00% ($n of $n wrong) against $work/second.npy
top-2 accuracy 100.00% (0 of $n with the label outside the best 2)"
        result="$("${classify[@]}" "$model" "$stem.input.f32" --labels "$work/right.npy" 2>&1 | tail -n 1)
$("${classify[@]}" "$model" "$stem.input.f32" --labels "$work/second.npy" --top 2 2>&1 | tail -n 2)" || true
        if [[ $n -gt 0 && ${#seconds[@]} -eq $n && "$result" == "$expected" ]]; then
            echo "ok    python  $(basename "$model"): --labels scores $n samples as elr-run words it (100.00% right, 0.00% by the second class, 100.00% top-2)"
        else
            echo "FAIL  python  $(basename "$model"): --labels: $(tr '\n' ' ' <<<"$result")| expected $(tr '\n' ' ' <<<"$expected")"
            failures=$((failures + 1))
        fi
    done
    # refused DESCR VALUES MESSAGE: classify.py exits 1 with the labels file named, then MESSAGE, for the four samples of lenet300-factorized.
    refused() {
        local descr="$1" values="$2" message="$3" output status
        checks=$((checks + 1))
        # shellcheck disable=SC2086 # the values are words
        python3 scripts/lib/labels-npy.py "$work/bad.npy" "$descr" $values
        output="$("${classify[@]}" tests/fixtures/lenet300-factorized.elr tests/fixtures/lenet300-factorized.input.f32 --labels "$work/bad.npy" 2>&1)" && status=0 || status=$?
        if [[ $status -eq 1 && "$output" == "$work/bad.npy$message" ]]; then
            echo "ok    python  --labels refused: bad.npy$message"
        else
            echo "FAIL  python  --labels $descr $values: exit $status, '$output', expected '$work/bad.npy$message'"
            failures=$((failures + 1))
        fi
    }
    refused '<i8' "1 2 3" " holds 3 labels but the input holds 4 samples; give one label per sample, in the input's order"
    refused '<f4' "1 2 3 4" " holds <f4 values; labels are integers (uint8, int32, int64, …): save them with y.astype(np.int64)"
    refused '|u1' "1 2 10 4" ": label 10 at index 2 is not a class of the model, which has 10 outputs (0 to 9)"
}
run_python_labels "$(dirname "$x64_check")/libelr.so"
# classify.py warns of float pixels outside 0–1 for a model that records its scale, as elr-run does: channel-affine (16)
# fed its golden input × 16 (unscaled integer pixels) and × 2 − 1 (standardized), and its golden input as it is, unwarned.
# A model that records only the normalization it applies itself (imported with --input-mean/--input-std, neither a data
# set nor --pixel-max) is warned of standardized pixels alone, as elr-run is: folded-normalization fed its golden input
# standardized as MNIST's transforms.Normalize does, (p − 0.1307) / 0.3081 (down to −0.42), is warned; as it is (0–1) and
# × 255 (no recorded range to leave) it is not.
# run_python_warnings LIBRARY MODEL REASON CASE...: CASE is "DESCR FACTOR OFFSET EXPECTED", EXPECTED the warning's words
# after the file's name (none: no warning), and REASON the words that end the warning's reason.
run_python_warnings() {
    local library="$1" model="$2" reason="$3" output descr factor offset expected case
    local classify=(python3 runtime/EdgeLowRank.Runtime.Native/examples/classify.py --library "$library")
    shift 3
    for case in "$@"; do
        read -r descr factor offset expected <<<"$case"
        checks=$((checks + 1))
        python3 - "${model%.elr}.input.f32" "$factor" "$offset" "$work/warned.npy" <<'PY'
import struct, sys
sys.path.insert(0, "scripts/lib")
from npyfile import save_npy
data = open(sys.argv[1], "rb").read()
values = [v * float(sys.argv[2]) + float(sys.argv[3]) for v in struct.unpack(f"<{len(data) // 4}f", data)]
save_npy(sys.argv[4], "<f4", struct.pack(f"<{len(values)}f", *values), len(values))
PY
        output="$("${classify[@]}" "$model" "$work/warned.npy" 2>&1 >/dev/null)" || true
        if { [[ -n "$expected" ]] && [[ "$output" == "classify.py: warning: $work/warned.npy $expected "*"$reason"* ]]; } \
            || { [[ -z "$expected" ]] && [[ -z "$output" ]]; }; then
            echo "ok    python  $(basename "$model"), $descr float pixels: $([[ -n "$output" ]] && echo "warned as elr-run warns" || echo "no warning")"
        else
            echo "FAIL  python  $(basename "$model"), $descr float pixels: stderr '$output', expected '${expected:-nothing}${expected:+ … $reason}'"
            failures=$((failures + 1))
        fi
    done
}
run_python_warnings "$(dirname "$x64_check")/libelr.so" tests/fixtures/channel-affine.elr "(the model's input.pixel-max))" \
    "unscaled 16 0 holds float pixels up to" "standardized 2 -1 holds float pixels from" "as-trained 1 0 "
# 3.2457 = 1 / 0.3081 and −0.42421 = −0.1307 / 0.3081.
run_python_warnings "$(dirname "$x64_check")/libelr.so" tests/fixtures/folded-normalization.elr \
    "(import.input-normalization: (x - 0.1307) / 0.3081, folded into the first layer; the model takes unnormalized inputs): give the pixels before any normalization (mean and std), which the model applies itself" \
    "standardized 3.2456994 -0.42421292 holds float pixels from" "unnormalized 1 0 " "0-255 255 0 "
[[ $checks -gt 0 ]] || { echo "no golden fixtures found under tests/fixtures" >&2; exit 1; }
echo "C API: $((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
