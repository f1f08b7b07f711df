using System.Globalization;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Runtime.Layers;

using static System.FormattableString;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The settings of one learning-compression run (docs/ALGORITHM.md). Defaults start from the public LC
/// toolkit's LeNet-300-100 rank-selection recipe (μ₀ = 1e-3, Nesterov momentum 0.9, batch 256, lr 0.1)
/// and were tuned on LeNet-300-100 (docs/RESULTS.md): μ grows by 1.25 per step (not 1.1) so W reaches Θ,
/// the rate decays by 0.93 per step (not 0.98), weight decay 1e-4 in the L steps, no fine-tune (it raised
/// the test error in every measured run), one epoch per L step.
/// </summary>
public sealed record LcOptions
{
    /// <summary>How each layer's Θ is computed: <see cref="FactorizationMethod.Svd"/> or <see cref="FactorizationMethod.Cur"/>.</summary>
    public FactorizationMethod Method { get; init; } = FactorizationMethod.Cur;

    /// <summary>CUR settings (selection, oversampling ρ); ignored for the SVD.</summary>
    public CurOptions Cur { get; init; } = new();

    /// <summary>What C(r) counts.</summary>
    public CostCriterion Criterion { get; init; } = CostCriterion.Storage;

    /// <summary>
    /// Names of layers (as <c>elr inspect</c> lists them) that stay dense: the C step never factorizes them, so the L step
    /// leaves them unpenalized, while their dense cost still counts in the ratio. Empty: every layer may be factorized.
    /// </summary>
    public IReadOnlyList<string> KeepDense { get; init; } = [];

    /// <summary>
    /// Let the C step factorize the classifier (<see cref="CompressibleLayer.IsClassifier"/>). Off by default: below one rank
    /// per class (the only ranks that save storage when the classes are fewer than the inputs) the logits lie in a subspace
    /// of fewer dimensions than there are classes, and the digits MLP's classifier at rank 7 of 10 cost one or two test
    /// images in all eight runs measured (docs/RESULTS.md).
    /// </summary>
    public bool CompressClassifier { get; init; }

    /// <summary>
    /// Ranks the user fixed, by layer name (<c>elr compress --ranks fc1=10,fc2=8</c>, the LC toolkit's fixed-rank low-rank
    /// compression): every C step projects such a layer onto its rank with <see cref="Method"/>, without enumeration, λ, the
    /// rank guard or <see cref="MinRankSaving"/>, since the user chose the rank. The other layers are chosen as usual; when
    /// none is left, <see cref="Lambda"/> is null and <see cref="TargetRatio"/> unset. Empty: every rank is chosen.
    /// </summary>
    public IReadOnlyDictionary<string, int> FixedRanks { get; init; } = new Dictionary<string, int>();

    /// <summary>The rank <see cref="FixedRanks"/> gives <paramref name="layer"/>, or null when the C step chooses it.</summary>
    internal int? FixedRankOf(CompressibleLayer layer) => FixedRanks.TryGetValue(layer.Layer.Name, out int rank) ? rank : null;

    /// <summary>True when <paramref name="layer"/> is named in <see cref="KeepDense"/>, or is the classifier and <see cref="CompressClassifier"/> is off.</summary>
    internal bool KeepsDense(CompressibleLayer layer) => KeepDense.Contains(layer.Layer.Name) || HoldsDense(layer);

    /// <summary>The layers of <paramref name="layers"/> kept dense, each with why: "fc2 (--keep-dense), fc3 (the classifier)".</summary>
    internal string DenseLayerList(IReadOnlyList<CompressibleLayer> layers) =>
        string.Join(", ", layers.Where(KeepsDense).Select(l => $"{l.Layer.Name} ({(HoldsDense(l) ? "the classifier" : "--keep-dense")})"));

    /// <summary>What leaves more to compress: naming fewer layers in --keep-dense, and --compress-classifier when the classifier is held dense by default.</summary>
    internal string FewerDenseAdvice(IReadOnlyList<CompressibleLayer> layers) =>
        string.Join(", or ", new[] { KeepDense.Count > 0 ? "keep fewer layers dense" : null, layers.Any(HoldsDense) ? "add --compress-classifier" : null }.OfType<string>());

    /// <summary>True for the classifier while <see cref="CompressClassifier"/> is off: dense whatever --keep-dense says.</summary>
    internal bool HoldsDense(CompressibleLayer layer) => layer.IsClassifier && !CompressClassifier;

    /// <summary>The board's predicted layer latencies; required by, and only used with, <see cref="CostCriterion.Latency"/>.</summary>
    public Latency.LatencyCostModel? LatencyModel { get; init; }

    /// <summary>
    /// With a target ratio: hand what the bisection leaves of the budget back greedily (<see cref="BudgetFill"/>), so the
    /// ratio ends within one rank of the target instead of past it (one CUR run of LeNet-5 at target 11 ended at 11.65×
    /// without it). On by default; under the storage criterion the leftover goes where storage is cheap, which can be where
    /// FLOPs are dear (LeNet-5's conv1), so a run that must also cut FLOPs says so with <see cref="MinFlopsRatio"/>.
    /// </summary>
    public bool FillBudget { get; init; } = true;

    /// <summary>
    /// With a target ratio under the storage or latency criterion: the chosen ranks must also need at least this many times
    /// fewer multiply–adds than dense (weights only, as the reports count them). The C step then prices multiply–adds too,
    /// as much as it takes (<see cref="TargetRatioSearch"/>). Null: no FLOPs budget.
    /// </summary>
    public double? MinFlopsRatio { get; init; }

    /// <summary>The largest λ accepted, the target-ratio bisection's ceiling too: beyond it no layer's choice changes.</summary>
    public const double MaxLambda = 1e6;

    /// <summary>True when a target-ratio search ended at <see cref="MaxLambda"/>: no λ met its budgets. The search works on
    /// log λ, and exp(log 1e6) may round just below 1e6.</summary>
    public static bool IsLambdaCeiling(double lambda) => lambda >= MaxLambda * (1 - 1e-9);

    /// <summary>λ, the price of one unit of cost. Ignored when <see cref="TargetRatio"/> is set. Null: no price, which only a run
    /// whose <see cref="FixedRanks"/> fix every layer the C step may factorize can do without (<see cref="LearningCompression.CheckRequest"/>).</summary>
    public double? Lambda { get; init; } = 1e-6;

    /// <summary>When set, every C step picks λ by bisection so that the chosen ranks make the network this many times smaller
    /// (storage), cheaper (FLOPs) or faster (predicted latency, with the latency criterion) than dense.</summary>
    public double? TargetRatio { get; init; }

    /// <summary>μ₀, the penalty of step 0.</summary>
    public double Mu0 { get; init; } = 1e-3;

    /// <summary>The default <see cref="MuGrowth"/>, the growth of the default schedule of <see cref="DefaultSteps"/> steps.</summary>
    public const double DefaultMuGrowth = 1.25;

    /// <summary>The default <see cref="Steps"/>.</summary>
    public const int DefaultSteps = 35;

    /// <summary>a in μ_k = μ₀·a^k. <c>elr compress</c> given --steps without --mu-growth takes <see cref="MuGrowthFor"/> instead.</summary>
    public double MuGrowth { get; init; } = DefaultMuGrowth;

    /// <summary>K, the most LC steps (the run may stop earlier, see <see cref="StopTolerance"/>).</summary>
    public int Steps { get; init; } = DefaultSteps;

    /// <summary>
    /// The growth a = 1.25^(34/(K−1)) that spreads the default schedule over <paramref name="steps"/> = K steps: μ rises from
    /// μ₀ to μ₀·1.25^34 (1.97 from the default μ₀), as in the default 35 steps, and is exactly <see cref="DefaultMuGrowth"/> at
    /// K = 35. At 1.25 a run of 6 steps ends at μ = 0.003, where the penalty has not yet pulled W towards Θ while the
    /// multipliers have pushed the C step's target W − λ/μ away from low rank; the digits MLP at 4× ended at 9–12% error
    /// against 3.34% after its first C step (docs/ALGORITHM.md, "Defaults and their cost"). K = 1 runs at μ₀ alone, so any
    /// growth is the same there and the default is returned. The growth is rounded to 9 decimals: the checkpoint's fingerprint
    /// records it, and a last-bit difference between two machines' Math.Pow must not refuse a resume; μ's end moves by at
    /// most K·10⁻⁹ of itself.
    /// </summary>
    /// <param name="steps">K, the LC steps of the run.</param>
    public static double MuGrowthFor(int steps) =>
        steps <= 1 ? DefaultMuGrowth : Math.Round(Math.Pow(DefaultMuGrowth, (DefaultSteps - 1.0) / (steps - 1)), 9);

    /// <summary>Epochs of SGD in each L step.</summary>
    public int EpochsPerStep { get; init; } = 1;

    /// <summary>The L step's rate at step 0; step k uses LearningRate·LearningRateDecay^k.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>The per-step factor of the L step's rate.</summary>
    public double LearningRateDecay { get; init; } = DefaultLearningRateDecay;

    /// <summary>The default <see cref="LearningRateDecay"/>.</summary>
    public const double DefaultLearningRateDecay = 0.93;

    /// <summary>L2 weight decay of the L steps (weights only, as in training); 0 for none.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>
    /// Keep the optimizer (its velocity) from one L step to the next instead of starting each L step at
    /// zero velocity. The checkpoint then saves the velocity, so a resumed run stays bit-identical to an uninterrupted one.
    /// </summary>
    public bool KeepVelocity { get; init; }

    /// <summary>Nesterov momentum of the L steps and the fine-tune.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Samples per SGD step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The SGD updates of one L step on <paramref name="trainingSamples"/> samples: <see cref="EpochsPerStep"/> epochs of
    /// batches of <see cref="BatchSize"/>, the last one partial. What decides whether W can follow the penalty to Θ: an epoch
    /// of MNIST is 235 updates, one of the UCI digits 6.</summary>
    public int UpdatesPerLStep(int trainingSamples) => EpochsPerStep * ((trainingSamples + BatchSize - 1) / BatchSize);

    /// <summary>
    /// α of the L steps' distillation loss (1 − α)·CE + α·T²·KL(teacher ‖ student), the teacher being the
    /// reference network the run starts from (<see cref="Training.DistillationLoss"/>); 0, the default, is
    /// the plain cross-entropy of the LC algorithm as published.
    /// </summary>
    public double DistillationWeight { get; init; }

    /// <summary>T of the distillation loss: how far the teacher's probabilities are softened.</summary>
    public double DistillationTemperature { get; init; } = 4;

    /// <summary>
    /// Label smoothing ε of the cross-entropy in the L steps and the fine-tune (of the hard term, when distilling): each
    /// target becomes (1 − ε)·one-hot + ε/K (<see cref="Training.SoftmaxCrossEntropy"/>); 0, the default, is the plain cross-entropy.
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Epochs of fine-tuning the factorized network with ranks fixed.</summary>
    public int FinetuneEpochs { get; init; }

    /// <summary>The fine-tune's first rate, if set; epoch e uses it·FinetuneLearningRateDecay^e. Null (the default): the rate
    /// the L steps' schedule reaches at its last step, and for a shorter schedule than the default not above where the default
    /// one's ends (<see cref="FinetuneFirstRate"/>): the schedule's last step, also for a run the stopping rule ends before it,
    /// so that the rate is known before the run. So the fine-tune continues about where the L steps left off instead of jumping above them,
    /// which can undo them (mobilenet-mini compressed at --lr 0.02: two fine-tune epochs at 0.01 went from 1.47% to 77.35%
    /// error, at 0.002 to 1.48%; docs/RESULTS.md). A short schedule's L steps end at a higher rate (0.08 after 4 steps), which
    /// held W near Θ only with the penalty: without it, five epochs there (η·d³ = 0.0804) took the digits MLP at 8× from 18.66% to 79.67%,
    /// against 15.60% from this default (0.0085), and three took PyTorch's LeNet-5 at 5× from 1.28% to 1.87%, against 1.11%;
    /// LeNet-300-100 at 10× ended at 2.51% and 2.57% (docs/ALGORITHM.md, step 4).</summary>
    public double? FinetuneLearningRate { get; init; }

    /// <summary>The fine-tune's first rate: <see cref="FinetuneLearningRate"/> if set, else where the L steps' rates end,
    /// LearningRate·LearningRateDecay^(Steps − 1), and, for fewer steps than <see cref="DefaultSteps"/>, not above where the
    /// default schedule's end, LearningRate·<see cref="DefaultLearningRateDecay"/>^34 (0.0085 at the default rate). The
    /// default decay, not the run's: 34 steps of a steep --lr-decay would leave no rate at all.</summary>
    public double FinetuneFirstRate => FinetuneLearningRate
        ?? (Steps >= DefaultSteps ? LearningRateAt(Steps - 1)
            : Math.Min(LearningRateAt(Steps - 1), LearningRate * Math.Pow(DefaultLearningRateDecay, DefaultSteps - 1)));

    /// <summary>The fine-tune's rates as the run's line and the file's properties state them: a given first rate as given, the
    /// derived one to four digits, saying where it comes from (its full digits, 0.008480476418085367, read as a typed value).</summary>
    public string FinetuneRateText => FinetuneLearningRate is double given
        ? Invariant($"{given:R}·{FinetuneLearningRateDecay:R}^e")
        : Invariant($"{FinetuneFirstRate:G4}·{FinetuneLearningRateDecay:R}^e (the default, from the L steps' schedule)");

    /// <summary>The fine-tune's per-epoch rate factor.</summary>
    public double FinetuneLearningRateDecay { get; init; } = 0.9;

    /// <summary>The fine-tune's rates: <see cref="FinetuneFirstRate"/>·<see cref="FinetuneLearningRateDecay"/>^e at epoch e.</summary>
    public Training.ExponentialSchedule FinetuneSchedule => new(FinetuneFirstRate, FinetuneLearningRateDecay);

    /// <summary>L2 weight decay of the fine-tune (on both factors' weights); 0 for none.</summary>
    public double FinetuneWeightDecay { get; init; }

    /// <summary>
    /// With a target ratio R: the C steps before step <c>RatioWarmupSteps − 1</c> aim at a smaller ratio,
    /// R^((k+2)/(RatioWarmupSteps+1)) at step k (DC is k = −1), so the network is squeezed gradually; 0 aims at R from DC on.
    /// </summary>
    public int RatioWarmupSteps { get; init; }

    /// <summary>
    /// The guard against rank collapse: a rank whose relative error e(r)/‖W‖² exceeds this is never
    /// chosen, so no C step can wipe out a layer the loss needs (rank 0 has relative error 1).
    /// </summary>
    public double MaxRelativeError { get; init; } = 0.5;

    /// <summary>
    /// The least fraction of a layer's numbers a factorization must save: the C step never chooses a rank r with
    /// r(m+n) > (1 − MinRankSaving)·mn, so the layer stays dense where only such ranks would do (LeNet-300-100's 100→10
    /// classifier at rank 9 saves 1% and makes the logits rank-deficient). 0 admits every rank below mn/(m+n).
    /// </summary>
    public double MinRankSaving { get; init; } = 0.1;

    /// <summary>
    /// Weigh each layer's error in the C step relative to the matrix it approximates: μ/2·e(r)/‖A‖² instead of μ/2·e(r), as
    /// the LC toolkit's <c>normalize</c> option does (its authors find it useful for deep nets). A layer's rank then depends
    /// on the share of its energy a rank drops, not on the size of its weights, so a layer of small weights is not cut for
    /// being cheap to approximate in absolute terms; λ is on another scale (a price per stored number against a share of
    /// ‖A‖²), which --target-ratio finds by itself. Off by default: the published method weighs absolute errors.
    /// </summary>
    public bool NormalizeError { get; init; }

    /// <summary>Stop before K steps once Σ‖W−Θ‖²/Σ‖W‖² is below this and the ranks did not change in the last 3 steps.</summary>
    public double StopTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Whether the fine-tune leaves the network at its best epoch on the held-out share (<see cref="ValidationShare"/>, which
    /// it needs), the network before the fine-tune included, instead of at its last: a fine-tune that makes the network worse
    /// then writes the LC steps' one (<see cref="Finetuning"/>).
    /// </summary>
    public bool FinetuneKeepBest { get; init; }

    /// <summary>
    /// A share of each class of the training set held out of the L steps, the distillation targets and the fine-tune (the
    /// split seeded by <see cref="ValidationSeed"/>);
    /// every step's report then gives the Θ-network's error on it, a score to choose settings by without tuning on the
    /// test set. Null: train on the whole training set.
    /// </summary>
    public double? ValidationShare { get; init; }

    /// <summary>Seeds the <see cref="ValidationShare"/> split; null: <see cref="Seed"/>. `elr compress` passes the reference's
    /// training seed when the reference held out the same share, so the part held out here is one the reference never saw.</summary>
    public ulong? ValidationSeed { get; init; }

    /// <summary>Seeds the shuffling (the network comes trained).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads for the kernels and the per-layer C steps.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="CompressionException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Method is not (FactorizationMethod.Svd or FactorizationMethod.Cur)) throw new CompressionException($"The method must be svd or cur, not {Method}.");
        if (!Enum.IsDefined(Criterion)) throw new CompressionException($"Unknown criterion {Criterion}; use storage, flops or latency.");
        if ((Criterion == CostCriterion.Latency) != (LatencyModel is not null))
            throw new CompressionException("The latency criterion needs a latency table (--latency-table board.json, made on the board by `elr-run profile`), and a latency table needs --criterion latency.");
        if (TargetRatio is double ratio && !(ratio > 1 && double.IsFinite(ratio))) throw new CompressionException($"The target ratio must be a finite number above 1, not {ratio}.");
        if (MinFlopsRatio is double floor)
        {
            if (TargetRatio is null) throw new CompressionException("A least FLOPs ratio (--min-flops-ratio) needs --target-ratio: with a fixed λ there is no budget to meet.");
            if (Criterion == CostCriterion.Flops) throw new CompressionException("With --criterion flops the target ratio is already a FLOPs ratio; drop --min-flops-ratio.");
            if (!(floor > 1 && double.IsFinite(floor))) throw new CompressionException($"The least FLOPs ratio must be a finite number above 1, not {floor}.");
        }
        if (TargetRatio is null && Lambda is double price && !(price >= 0 && double.IsFinite(price))) throw new CompressionException($"λ must be a finite number ≥ 0, not {Lambda}.");
        if (TargetRatio is null && Lambda > MaxLambda)
            throw new CompressionException($"λ = {Lambda:G3} is above {MaxLambda:G0}, where every layer already takes its cheapest rank (and λ·cost can overflow); use at most {MaxLambda:G0}, or --target-ratio.");
        if (!(Mu0 > 0 && double.IsFinite(Mu0))) throw new CompressionException($"μ₀ must be positive, not {Mu0}.");
        if (!(MuGrowth >= 1 && double.IsFinite(MuGrowth))) throw new CompressionException($"The μ growth factor must be ≥ 1, not {MuGrowth}.");
        if (Steps < 1) throw new CompressionException($"The number of LC steps must be at least 1, not {Steps}.");
        // The L step and the multiplier update take μ as a float: past float's range it is infinite, and 0·∞ makes the
        // multipliers NaN.
        if (!(MuAt(Steps - 1) <= float.MaxValue))
            throw new CompressionException($"μ₀·a^(K−1) = {Mu0}·{MuGrowth}^{Steps - 1}, the last step's μ, is beyond the single-precision range (3.4e38) the L steps compute in; "
                + "lower μ₀ or the μ growth factor (--mu0, --mu-growth).");
        if (EpochsPerStep < 1) throw new CompressionException($"Epochs per L step must be at least 1, not {EpochsPerStep}.");
        if (FinetuneEpochs < 0) throw new CompressionException($"Fine-tune epochs cannot be negative ({FinetuneEpochs}).");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new CompressionException($"The learning rate must be positive, not {LearningRate}.");
        if (FinetuneLearningRate is double finetuneRate && !(finetuneRate > 0 && double.IsFinite(finetuneRate))) throw new CompressionException($"The fine-tune learning rate must be positive, not {FinetuneLearningRate}.");
        if (!(FinetuneLearningRateDecay is > 0 and <= 1)) throw new CompressionException($"The fine-tune's learning-rate decay must be in (0, 1], not {FinetuneLearningRateDecay}.");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) throw new CompressionException($"The L steps' weight decay must be ≥ 0, not {WeightDecay}.");
        if (!(FinetuneWeightDecay >= 0 && double.IsFinite(FinetuneWeightDecay))) throw new CompressionException($"The fine-tune's weight decay must be ≥ 0, not {FinetuneWeightDecay}.");
        if (!(MinRankSaving is >= 0 and < 1)) throw new CompressionException($"The least saving of a factorized layer must be in [0, 1), not {MinRankSaving}.");
        if (RatioWarmupSteps < 0) throw new CompressionException($"The ratio warm-up cannot be negative ({RatioWarmupSteps}).");
        if (RatioWarmupSteps > Steps)
            throw new CompressionException($"The ratio warm-up ({RatioWarmupSteps} steps) is longer than the run ({Steps} LC steps), so the last C step would aim below the target ratio; shorten the warm-up or add steps.");
        if (FixedRanks.FirstOrDefault(p => p.Value < 1) is { Key: not null } noRank)
            throw new CompressionException($"--ranks gives {noRank.Key} the rank {noRank.Value}; a rank is a whole number of at least 1.");
        if (KeepDense.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new CompressionException($"The layers to keep dense name {twice.Key} more than once.");
        if (!(LearningRateDecay is > 0 and <= 1)) throw new CompressionException($"The learning-rate decay must be in (0, 1], not {LearningRateDecay}.");
        if (Training.TrainingLimits.VanishingRateProblem(LearningRate, LearningRateAt(Steps - 1), "the last LC step", "--lr", "--lr-decay") is string vanishing)
            throw new CompressionException(vanishing);
        if (FinetuneEpochs > 0 && Training.TrainingLimits.VanishingRateProblem(FinetuneFirstRate, FinetuneSchedule.RateAt(FinetuneEpochs - 1),
                "the fine-tune's last epoch", "--finetune-lr", "--finetune-lr-decay") is string vanishingFinetune)
            throw new CompressionException(vanishingFinetune);
        if (Training.TrainingLimits.SgdSettingsProblem(Momentum, BatchSize, Threads) is string problem) throw new CompressionException(problem);
        if (!(DistillationWeight is >= 0 and <= 1)) throw new CompressionException($"The distillation weight α must be in [0, 1], not {DistillationWeight}.");
        if (Training.TrainingLimits.LabelSmoothingProblem(LabelSmoothing) is string smoothing) throw new CompressionException(smoothing);
        if (!(DistillationTemperature > 0 && DistillationTemperature <= 100)) throw new CompressionException($"The distillation temperature must be in (0, 100], not {DistillationTemperature}.");
        if (!(MaxRelativeError is > 0 and < 1)) throw new CompressionException($"The rank guard's largest relative error must be in (0, 1), not {MaxRelativeError}.");
        if (!(StopTolerance >= 0)) throw new CompressionException($"The stopping tolerance cannot be negative ({StopTolerance}).");
        if (!(Cur.Oversampling >= 1 && double.IsFinite(Cur.Oversampling))) throw new CompressionException($"CUR oversampling must be ≥ 1, not {Cur.Oversampling}.");
        if (!Enum.IsDefined(Cur.Selection)) throw new CompressionException($"Unknown CUR selection {Cur.Selection}.");
        if (ValidationShare is double share && Training.TrainingLimits.ValidationShareProblem(share) is string wrongShare) throw new CompressionException(wrongShare);
        if (FinetuneKeepBest && (FinetuneEpochs == 0 || ValidationShare is null))
        {
            const string Share = "a held-out share to choose the fine-tune's epoch by (the test set must not choose the model it then scores): give --validation too, e.g. --validation 0.1";
            throw new CompressionException(FinetuneEpochs > 0 ? $"--finetune-best needs {Share}."
                : ValidationShare is null ? $"--finetune-best needs a fine-tune, --finetune-epochs above 0, and {Share}."
                : "--finetune-best keeps the fine-tune's best epoch, and there is no fine-tune: give --finetune-epochs above 0.");
        }
    }

    /// <summary>
    /// The SGD settings the L steps and the fine-tune share (batch, momentum, loss, threads), so a new one reaches both;
    /// each adds its own epochs, rates, weight decay and seed.
    /// </summary>
    internal Training.TrainingOptions SharedTraining() => new()
    {
        BatchSize = BatchSize, Momentum = Momentum, LabelSmoothing = LabelSmoothing, Threads = Threads,
    };

    /// <summary>μ_k = μ₀·a^k.</summary>
    public double MuAt(int step) => Mu0 * Math.Pow(MuGrowth, step);

    /// <summary>The L step's rate at step k.</summary>
    public double LearningRateAt(int step) => LearningRate * Math.Pow(LearningRateDecay, step);

    /// <summary>The target ratio of the C step after L step <paramref name="step"/> (−1: DC), see <see cref="RatioWarmupSteps"/>; null with a fixed λ.</summary>
    public double? TargetRatioAt(int step) => TargetRatio is double r && RatioWarmupSteps > 0 ? Math.Pow(r, WarmupShare(step)) : TargetRatio;

    /// <summary>
    /// These settings with the target ratio of step <paramref name="step"/> (what the C step reads). A FLOPs floor F rises
    /// with it, as F^((k+2)/(RatioWarmupSteps+1)), so the warm-up squeezes both costs gradually.
    /// </summary>
    public LcOptions ForStep(int step) => TargetRatio is null || RatioWarmupSteps == 0
        ? this
        : this with { TargetRatio = TargetRatioAt(step), MinFlopsRatio = MinFlopsRatio is double f ? Math.Pow(f, WarmupShare(step)) : null };

    /// <summary>The exponent of the warm-up (W = RatioWarmupSteps &gt; 0) at step <paramref name="step"/>: min(1, (k+2)/(W+1)).</summary>
    private double WarmupShare(int step) => Math.Min(1.0, (step + 2.0) / (RatioWarmupSteps + 1));

    /// <summary>
    /// The settings as model metadata properties (keys prefixed "compress."): every setting that shapes the run, the
    /// thread count excepted (it does not change a bit of the result). A setting that is off (or, like the CUR settings
    /// under SVD, does not apply) reads "none". These texts are also the checkpoint fingerprint
    /// (<see cref="CheckpointFingerprint"/>): a new setting must be added here, and rewording one makes older checkpoints
    /// unresumable, so do that only with a new checkpoint version. Numbers are written in the invariant culture, so a
    /// file or checkpoint made on a machine with a comma decimal separator reads and resumes the same everywhere.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> ToProperties() =>
    [
        new("compress.method", Method.ToString().ToLowerInvariant()),
        new("compress.selection", Method == FactorizationMethod.Cur ? Cur.Selection.ToString().ToLowerInvariant() : "none"),
        new("compress.oversampling", Method == FactorizationMethod.Cur ? Cur.Oversampling.ToString("R", CultureInfo.InvariantCulture) : "none"),
        new("compress.cur-core", Method == FactorizationMethod.Cur ? Cur.Core.ToString().ToLowerInvariant() : "none"),
        new("compress.cur-seed", Method == FactorizationMethod.Cur && Cur.Selection == CurSelection.LeverageSampling ? Cur.Seed.ToString() : "none"),
        new("compress.criterion", Criterion.ToString().ToLowerInvariant()),
        new("compress.keep-dense", KeepDense.Count == 0 ? "none" : string.Join(',', KeepDense.Distinct().Order(StringComparer.Ordinal))),
        new("compress.classifier", CompressClassifier ? "factorizable" : "dense"),
        // "priced in ns": the C step's latency unit since 2026-12-06 (seconds before), so an older run's checkpoint is refused.
        new("compress.latency-table", LatencyModel is { Table: var t } ? Invariant($"{t.Cpu}, {t.BuiltFor}, batch {t.Batch}, xxh64 {t.Digest}, priced in ns") : "none"),
        new("compress.fixed-ranks", FixedRanks.Count == 0 ? "none" : string.Join(',', FixedRanks.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))),
        new("compress.lambda", TargetRatio is not null ? "per step (target ratio)" : Lambda?.ToString("R", CultureInfo.InvariantCulture) ?? "none"),
        new("compress.target-ratio", TargetRatio?.ToString("R", CultureInfo.InvariantCulture) ?? "none"),
        new("compress.fill-budget", TargetRatio is not null && FillBudget ? "yes" : "none"),
        new("compress.min-flops-ratio", MinFlopsRatio?.ToString("R", CultureInfo.InvariantCulture) ?? "none"),
        new("compress.mu", Invariant($"{Mu0:R}·{MuGrowth:R}^k")),
        new("compress.steps", Steps.ToString()),
        new("compress.stop-tolerance", StopTolerance.ToString("R", CultureInfo.InvariantCulture)),
        new("compress.epochs-per-step", EpochsPerStep.ToString()),
        new("compress.batch", BatchSize.ToString()),
        new("compress.lr", Invariant($"{LearningRate:R}·{LearningRateDecay:R}^k")),
        new("compress.momentum", Invariant($"{Momentum:R} (Nesterov)")),
        new("compress.ratio-warmup", RatioWarmupSteps == 0 ? "none" : RatioWarmupSteps.ToString()),
        new("compress.weight-decay", WeightDecay == 0 ? "none" : WeightDecay.ToString("R", CultureInfo.InvariantCulture)),
        new("compress.keep-velocity", KeepVelocity ? "yes" : "none"),
        new("compress.distillation", DistillationWeight == 0 ? "none" : Invariant($"alpha {DistillationWeight:R}, T {DistillationTemperature:R}, teacher = the reference")),
        new("compress.label-smoothing", LabelSmoothing == 0 ? "none" : LabelSmoothing.ToString("R", CultureInfo.InvariantCulture)),
        new(FinetuneProperty, Invariant($"{FinetuneEpochs} epoch{(FinetuneEpochs == 1 ? "" : "s")}, lr {FinetuneRateText}, weight decay {FinetuneWeightDecay:R}{(FinetuneKeepBest ? ", best epoch on the held-out share kept" : "")}")),
        new("compress.rank-guard", Invariant($"e(r)/|W|^2 <= {MaxRelativeError:R}")),
        new("compress.normalize-error", NormalizeError ? "e(r)/|A|^2" : "none"),
        new("compress.min-rank-saving", MinRankSaving == 0 ? "none" : MinRankSaving.ToString("R", CultureInfo.InvariantCulture)),
        new("compress.validation", ValidationShare is double share ? Invariant($"{share:R} (split seed {ValidationSeed ?? Seed})") : "none"),
        new("compress.seed", Seed.ToString()),
    ];

    /// <summary>
    /// What a checkpoint must have been written under to be resumed with these settings: the properties that change the
    /// LC steps, so every one but the fine-tune's (the checkpoint holds no fine-tune state, so a finished run may be
    /// fine-tuned again with other settings) and none that is off. Leaving out the "none" ones is what keeps checkpoints
    /// resumable when a later version adds a setting that is off by default.
    /// </summary>
    internal string CheckpointFingerprint() =>
        string.Join('|', ToProperties().Where(p => p.Key != FinetuneProperty && p.Value != "none").Select(p => $"{p.Key}={p.Value}"));

    private const string FinetuneProperty = "compress.finetune";
}
