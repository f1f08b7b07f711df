#!/usr/bin/env bash
# Regenerates the compression numbers of docs/RESULTS.md: trains the references (docs/TRAINING.md
# commands; for LeNet-300-100 also one with --label-smoothing 0.1) unless present, then runs `elr compress` with CUR and SVD at the same seed and settings,
# and prints one table row per run from the JSON logs, then, for runs over several seeds (LeNet-300-100's recipe, from
# the documented reference and from one trained with label smoothing), the mean error per method and how many runs
# meet their reference + 0.2. With SWEEP=1 it also runs each network's λ sweep
# (CUR and SVD at every λ — or target ratio — and seed, the same seeds for both) and draws docs/plots/NETWORK-sweep.png with `elr plot`, and for
# LeNet-300-100 compresses the label-smoothed reference at lower target ratios (seeds 1–4 each; means in the summary,
# drawn as docs/plots/lenet300-matched.png).
# A run whose log exists and that ran with the same arguments and the same compressor code (the last commit
# that touched compressor/ or runtime/) is not repeated, so an interrupted regeneration continues where it
# stopped; with uncommitted changes there, nothing is reused.
# CUR and SVD run side by side, one thread each. Long: run it in the background, e.g.
#   nohup scripts/results.sh > /tmp/results.log 2>&1 &
# Environment: ELR_DATA (data cache), OUT (work folder, default /tmp/elr-results), NETWORKS (default "lenet300";
# any of lenet300, lenet5, lenet5-fashion, digits, lenet5-1998, mobilenet-mini, resnet-mini, resnet-proj), SWEEP (1: run the λ sweeps too), SWEEP_SEEDS (the seeds of every
# sweep point, default "1"; the plots draw each seed and the curves go through their means).
# Last, `elr quantize` turns each network's reference and main runs into int8 weights and a table gives both test errors.
set -euo pipefail
cd "$(dirname "$0")/.."
export ELR_DATA="${ELR_DATA:-$HOME/.cache/edgelowrank}"
OUT="${OUT:-/tmp/elr-results}"
NETWORKS="${NETWORKS:-lenet300}"
KNOWN_NETWORKS="lenet300 lenet5 lenet5-fashion digits lenet5-1998 mobilenet-mini resnet-mini resnet-proj"
SWEEP="${SWEEP:-0}"
SWEEP_SEEDS="${SWEEP_SEEDS:-1}"
for net in $NETWORKS; do   # checked first: a misspelt name would otherwise be skipped silently after hours of the others
  [[ " $KNOWN_NETWORKS " == *" $net "* ]] || { echo "results.sh: unknown network '$net' in NETWORKS; use ${KNOWN_NETWORKS// /, }" >&2; exit 1; }
done
mkdir -p "$OUT"
dotnet build -c Release compressor/EdgeLowRank.Compressor.Cli > "$OUT/build.log"
ELR=compressor/EdgeLowRank.Compressor.Cli/bin/Release/net10.0/elr
# Outside a git checkout, or with uncommitted changes, the code has no name, so nothing is reused.
CODE="code $(git log -1 --format=%h -- compressor runtime 2>/dev/null || echo none)"
git diff --quiet HEAD -- compressor runtime 2>/dev/null || CODE="code uncommitted $(date +%s)"

reference() { # name dataset model train-arguments...
  local name=$1 dataset=$2 model=$3; shift 3
  [ -f "$OUT/$name.elr" ] || "$ELR" train --dataset "$dataset" --model "$model" "$@" -o "$OUT/$name.elr"
}

compress() { # name dataset method compress-arguments...   (TAG=x names the outputs NAME-x-METHOD; SEED=n, default 1)
  local name=$1 dataset=$2 method=$3 run=$1${TAG:+-$TAG}; shift 3
  local out="$OUT/$run-$method"
  local args=(--dataset "$dataset" --method "$method" --seed "${SEED:-1}" --threads 1 "$@")
  # Reuse a finished run only if it ran with these very arguments and this code (kept beside its log).
  [ -f "$out.json" ] && [ "$(cat "$out.args" 2>/dev/null)" = "${args[*]} ($CODE)" ] && return 0
  rm -f "$out.json" "$out.args"
  /usr/bin/time -f "%e s wall" "$ELR" compress "$OUT/$name.elr" "${args[@]}" -o "$out.elr" --log "$out.json" > "$out.log" 2>&1
  echo "${args[*]} ($CODE)" > "$out.args"
}

both() { # name dataset compress-arguments...   (CUR and SVD side by side, one thread each: the machine's two cores)
  local name=$1 dataset=$2 status=0 cur svd; shift 2
  compress "$name" "$dataset" cur "$@" & cur=$!
  compress "$name" "$dataset" svd "$@" & svd=$!
  wait $cur || status=1
  wait $svd || status=1
  return $status
}

sweep() { # name dataset title --lambda|--target-ratio "values" compress-arguments...   (CUR and SVD at each value and seed, then the plot)
  local name=$1 dataset=$2 title=$3 knob=$4 values=$5 tag run; shift 5
  [ "$SWEEP" = 1 ] || return 0
  tag=${knob#--}; tag=${tag%-ratio}
  local logs=()
  for value in $values; do
    for seed in $SWEEP_SEEDS; do
      # Seed 1 keeps the name the main runs share; other seeds are named -seedN, not -sN, so that the summary's
      # per-group means (below) do not take a sweep point without its seed 1: `elr plot` prints the sweep's means.
      run=$tag$value; [ "$seed" = 1 ] || run=$run-seed$seed
      SEED=$seed TAG=$run both "$name" "$dataset" "$knob" "$value" "$@"
      logs+=("$OUT/$name-$run-cur.json" "$OUT/$name-$run-svd.json")
    done
  done
  mkdir -p docs/plots
  "$ELR" plot "${logs[@]}" -o "docs/plots/$name-sweep.png" --title "$title"
}

int8_models=()   # the references and main runs to quantize at the end
for net in $NETWORKS; do
  case $net in
    lenet300)
      training=(--epochs 30 --batch 256 --lr 0.1 --lr-decay 0.95 --momentum 0.9 --weight-decay 1e-4 --seed 1)   # docs/TRAINING.md
      reference lenet300 mnist lenet300 "${training[@]}"
      both lenet300 mnist --target-ratio 10.2   # the documented defaults (docs/ALGORITHM.md)
      int8_models+=(lenet300 lenet300-cur lenet300-svd lenet300-recipe-s1-cur lenet300-recipe-s1-svd)
      # The recipe (docs/RESULTS.md, eighth and ninth rounds): L steps at batch 128, distillation from the reference and
      # label smoothing. One seed's error moves by ±0.1 points, so it runs on seeds 1–8 and the means are printed.
      lc_training=(--batch 128 --distill-weight 0.3 --distill-temperature 2 --label-smoothing 0.1)
      recipe=(--target-ratio 10.2 "${lc_training[@]}")
      for seed in 1 2 3 4 5 6 7 8; do
        SEED=$seed TAG=recipe-s$seed both lenet300 mnist "${recipe[@]}"
      done
      # The recipe's label smoothing helps the dense network more: the reference trained with it too, and compressed by
      # the same recipe, is the comparison of networks trained alike (docs/RESULTS.md, ninth round).
      reference lenet300-ls mnist lenet300 "${training[@]}" --label-smoothing 0.1
      for seed in 1 2 3 4; do
        SEED=$seed TAG=recipe-s$seed both lenet300-ls mnist "${recipe[@]}"
      done
      TAG=demo compress lenet300 mnist cur --target-ratio 8.5 --mu-growth 1.4 --steps 20 --lr-decay 0.9   # the ~4-minute demo schedule
      sweep lenet300 mnist "LeNet-300-100 on MNIST: λ sweep, CUR against SVD" --lambda "1e-6 2e-6 4e-6 1e-5"
      # Where matched training meets reference + 0.2 (it misses at 10×): the label-smoothed reference by the recipe at
      # lower targets, seeds 1–4 each; the summary prints each target's means (docs/RESULTS.md, "matched training by
      # target ratio"). With the sweeps: 32 runs, about 16 minutes.
      if [ "$SWEEP" = 1 ]; then
        for ratio in 5 7 8.5 9.25; do
          for seed in 1 2 3 4; do
            SEED=$seed TAG=matched$ratio-s$seed both lenet300-ls mnist --target-ratio "$ratio" "${lc_training[@]}"
          done
        done
        # With the recipe's own runs at 10.2: each target's runs and their mean, against reference + 0.2.
        "$ELR" plot "$OUT"/lenet300-ls-matched*-s*-{cur,svd}.json "$OUT"/lenet300-ls-recipe-s*-{cur,svd}.json --bar 0.2 \
          -o docs/plots/lenet300-matched.png --title "LeNet-300-100, matched training (label smoothing in both): CUR against SVD"
      fi ;;
    lenet5)
      reference lenet5 mnist lenet5 --epochs 15 --batch 256 --lr 0.05 --lr-decay 0.9 --momentum 0.9 --weight-decay 5e-4 --seed 1
      # The main runs are the sweep's ratio-11 point (same names, so the sweep does not repeat them). The goal asks for
      # ≥ 3× fewer FLOPs too, so the run says so: the budget fill would otherwise spend the storage left on conv1.
      TAG=target11 both lenet5 mnist --target-ratio 11 --weight-decay 5e-4 --min-flops-ratio 3
      int8_models+=(lenet5 lenet5-target11-cur lenet5-target11-svd)
      # Swept by target ratio (λ set by bisection in every C step, recorded in the logs): a run takes
      # 20–40 minutes here, too long to find the range of a fixed λ by trial.
      sweep lenet5 mnist "LeNet-5 on MNIST: compression sweep, CUR against SVD" --target-ratio "5 11 20" --weight-decay 5e-4 --min-flops-ratio 3 ;;
    lenet5-fashion)
      reference lenet5-fashion fashion-mnist lenet5 --epochs 15 --batch 256 --lr 0.05 --lr-decay 0.85 --momentum 0.9 --weight-decay 5e-4 --seed 1
      # The L step diverges at the default rate 0.1 here. The main runs are the sweep's ratio-5.5 point.
      TAG=target5.5 both lenet5-fashion fashion-mnist --target-ratio 5.5 --lr 0.05 --weight-decay 5e-4
      int8_models+=(lenet5-fashion lenet5-fashion-target5.5-cur lenet5-fashion-target5.5-svd)
      sweep lenet5-fashion fashion-mnist "LeNet-5 on Fashion-MNIST: compression sweep, CUR against SVD" --target-ratio "3 5.5 10" --lr 0.05 --weight-decay 5e-4 ;;
    lenet5-1998)
      # LeCun's tanh and average-pooling LeNet-5 (format 1.4 layers): the zoo's training defaults, compressed 5×.
      reference lenet5-1998 mnist lenet5-1998 --epochs 10 --seed 1
      TAG=target5 both lenet5-1998 mnist --target-ratio 5
      int8_models+=(lenet5-1998 lenet5-1998-target5-cur lenet5-1998-target5-svd) ;;
    mobilenet-mini)
      # Depthwise-separable blocks (format 1.5 depthwise layers, which stay dense): the LC loop factorizes the 1×1
      # convolutions. Training at rate 0.1 collapsed to a constant output (batch 128, decay 0.9: in its second epoch); the
      # L steps run at 0.02: at 0.05 the first one's loss rose from 0.03 to 2.7 on this reference; 0.01 ended worse (CUR 2.06%,
      # SVD 1.79%). No fine-tune: 5 epochs of it at the default 0.01 took CUR from 1.47% to 24.59% and SVD from 1.57% to
      # 1.68%; the L steps end at 0.0022, and 2 epochs at --finetune-lr 0.002 give CUR 1.48% (docs/RESULTS.md).
      reference mobilenet-mini mnist mobilenet-mini --epochs 30 --batch 128 --lr 0.05 --lr-decay 0.92 --weight-decay 5e-4 --seed 1
      TAG=target3 both mobilenet-mini mnist --target-ratio 3 --lr 0.02
      int8_models+=(mobilenet-mini mobilenet-mini-target3-cur mobilenet-mini-target3-svd) ;;
    resnet-mini)
      # Residual blocks (format 1.6 Add layers, no parameters): the LC loop factorizes the 3×3 and 1×1 convolutions in and
      # between them. Rate 0.05 is near its edge: with weight decay 5e-4 (decay 0.85, batch 128) the first epoch ended at
      # 11.35% test accuracy (one class) and the second went on at loss 2.30; without weight decay one epoch at 0.05 reached
      # 95.99%. 0.02 trains. The L steps take mobilenet-mini's rate.
      reference resnet-mini mnist resnet-mini --epochs 30 --batch 128 --lr 0.02 --lr-decay 0.92 --weight-decay 5e-4 --seed 1
      TAG=target3 both resnet-mini mnist --target-ratio 3 --lr 0.02
      int8_models+=(resnet-mini resnet-mini-target3-cur resnet-mini-target3-svd) ;;
    resnet-proj)
      # resnet-mini with ResNet's downsampling block (a format 1.7 Branch before the 1×1 stride-2 projection): resnet-mini's
      # recipe; the LC loop may factorize the projection as it does every convolution.
      reference resnet-proj mnist resnet-proj --epochs 30 --batch 128 --lr 0.02 --lr-decay 0.92 --weight-decay 5e-4 --seed 1
      TAG=target3 both resnet-proj mnist --target-ratio 3 --lr 0.02
      int8_models+=(resnet-proj resnet-proj-target3-cur resnet-proj-target3-svd) ;;
    digits)
      reference digits digits digits-mlp --epochs 100 --batch 32 --lr 0.05 --lr-decay 0.97 --momentum 0.9 --weight-decay 5e-4 --seed 1
      both digits digits --target-ratio 4 --steps 35 --epochs-per-step 5 --finetune-epochs 30
      int8_models+=(digits digits-cur digits-svd)
      sweep digits digits "Digits MLP on UCI digits: λ sweep, CUR against SVD" --lambda "1e-5 3e-5 1e-4 3e-4 1e-3" --steps 35 --epochs-per-step 5 --finetune-epochs 30 ;;
  esac
done

echo "| run | reference error | error before fine-tune | compressed error | storage × | FLOPs × | ranks | final ‖W−Θ‖² | seconds |"
echo "|---|---:|---:|---:|---:|---:|---|---:|---:|"
for log in "$OUT"/*.json; do
  python3 - "$log" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
ranks = ",".join("dense" if r < 0 else str(r) for r in d["ranks"])
print(f"| {os.path.basename(sys.argv[1])[:-5]} | {d['referenceError']:.2%} | {d['errorBeforeFinetune']:.2%} | {d['error']:.2%} | "
      f"{d['storageRatio']:.2f} | {d['flopsRatio']:.2f} | {ranks} | {d['finalConstraintGap']:.4g} | {d['seconds']:.0f} |")
PY
done

# Runs over several seeds (NAME-TAG-sN-METHOD): the mean compressed error per group and method, and how many runs meet
# the reference + 0.2 points that issue 4 sets for the MNIST networks, each group against the reference it compressed
# (lenet300-ls-recipe's is trained with label smoothing: the matched-training reading, docs/RESULTS.md "Two readings").
python3 - "$OUT" "$KNOWN_NETWORKS" $NETWORKS <<'PY'
import collections, glob, json, os, re, sys
known, wanted = sys.argv[2].split(), sys.argv[3:]
groups = collections.defaultdict(list)
for path in glob.glob(os.path.join(sys.argv[1], "*.json")):
    match = re.fullmatch(r"(.+)-s\d+-(cur|svd)\.json", os.path.basename(path))
    # Only the networks of this regeneration (an OUT folder can hold older runs of others); a run's network is the
    # longest network name its file name starts with, so lenet5-fashion's runs are not lenet5's.
    network = max((n for n in known if os.path.basename(path).startswith(n + "-")), key=len, default=None)
    if match and network in wanted:
        groups[match.group(1), match.group(2)].append(json.load(open(path)))
for (group, method), runs in sorted(groups.items()):
    errors = [run["error"] for run in runs]
    # Every seed of a group compresses the same reference, so they share one bar.
    bar = runs[0]["referenceError"] + 0.002
    within = sum(error <= bar + 1e-9 for error in errors)
    print(f"{group} {method}: {len(runs)} seed{'s' if len(runs) != 1 else ''}, mean error {sum(errors) / len(errors):.3%}, "
          f"{within} of {len(runs)} at or below reference + 0.2 = {bar:.2%}")
PY

# int8 weights (elr quantize) for every reference and main run: seconds each, so always made again.
echo
echo "| model | f32 error | int8 error | change (points) | f32 bytes | int8 bytes | smaller |"
echo "|---|---:|---:|---:|---:|---:|---:|"
mkdir -p "$OUT/int8"
for model in "${int8_models[@]}"; do
  "$ELR" quantize "$OUT/$model.elr" -o "$OUT/int8/$model-int8.elr" --log "$OUT/int8/$model.json" > "$OUT/int8/$model.log"
  python3 - "$OUT/int8/$model.json" "$model" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {d['floatError']:.2%} | {d['int8Error']:.2%} | {(d['int8Error'] - d['floatError']) * 100:+.2f} | "
      f"{d['floatBytes']:,} | {d['int8Bytes']:,} | {d['floatBytes'] / d['int8Bytes']:.2f}× |")
PY
done
