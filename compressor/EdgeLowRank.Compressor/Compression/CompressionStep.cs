using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The C step: for every layer, independently and in parallel, Θ_l = argmin over admissible ranks r of
/// λ·C_l(r) + μ/2·‖W_l − λ_l/μ − Θ_l(r)‖², or the dense layer when no admissible rank beats it.
/// With a target ratio, λ and the ranks come from <see cref="TargetRatioSearch"/> instead. A layer whose rank the user fixed
/// (<see cref="LcOptions.FixedRanks"/>) is projected onto that rank whatever λ or the ratio.
/// </summary>
public static class CompressionStep
{
    /// <summary>Runs the C step on the current weights and multipliers.</summary>
    /// <param name="layers">The compressible layers.</param>
    /// <param name="multipliers">λ_l per layer (same layout as the weights).</param>
    /// <param name="mu">μ.</param>
    /// <param name="options">Method, criterion, λ or target ratio, rank guard, threads.</param>
    /// <returns>The decision per layer and the λ used (0 when no layer's rank is chosen: <see cref="LcOptions.Lambda"/> is then null).</returns>
    public static (LayerDecision[] Decisions, double Lambda) Run(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<float[]> multipliers,
        double mu, LcOptions options)
    {
        (double[][] targets, LayerCurve?[] curves) = Decompose(layers, multipliers, mu, options);
        RankCost[] costs = Costs(layers, options);
        double[]?[] errors = AdmissibleErrors(layers, curves, options);
        (RankChoice[] choices, double lambda) = options.TargetRatio is double ratio
            ? TargetRatioSearch.Run(layers, errors, costs, mu, options, ratio)
            : (Choose(layers, errors, costs, options.Lambda ?? 0, mu, options), options.Lambda ?? 0);

        var decisions = new LayerDecision[layers.Count];
        Parallel.For(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, l =>
        {
            // A fixed rank is the user's, not λ's: it says nothing of whether λ has saturated.
            bool? cheapest = errors[l] is double[] admissible && options.FixedRankOf(layers[l]) is null ? AtCheapestAdmissible(choices[l], admissible, layers[l], costs[l]) : null;
            if (choices[l].KeepDense)
            {
                decisions[l] = new LayerDecision(choices[l].Rank, true, Array.ConvertAll(targets[l], x => (float)x), null, null, cheapest);
                return;
            }
            LowRankFactors factors = curves[l]!.Factorize(choices[l].Rank);
            decisions[l] = new LayerDecision(choices[l].Rank, false, Array.ConvertAll(factors.ApproximationRowMajor(), x => (float)x),
                factors.LeftAsSingle(), factors.RightAsSingle(), cheapest);
        });
        return (decisions, lambda);
    }

    /// <summary>Whether λ decided none of <paramref name="decisions"/>: every layer λ prices (not held dense, not of fixed
    /// rank) took its cheapest admissible choice (<see cref="LayerDecision.AtCheapestAdmissible"/>); false when λ prices none.
    /// One layer above its cheapest is enough for false: a larger λ would still lower it.</summary>
    internal static bool LambdaSaturated(IEnumerable<LayerDecision> decisions)
    {
        bool[] priced = [.. decisions.Where(d => d.AtCheapestAdmissible is not null).Select(d => d.AtCheapestAdmissible!.Value)];
        return priced.Length > 0 && priced.All(cheapest => cheapest);
    }

    /// <summary>
    /// Whether <paramref name="choice"/> costs the least of the dense layer and every rank of <paramref name="admissible"/>
    /// (<see cref="AdmissibleErrors"/>, +∞ where the rank guard forbids a rank): the choice of λ → ∞, which no larger λ
    /// changes. When every layer's choice is so, λ has passed the point where it shapes the network and the guard decides
    /// it: on the digits MLP, --lambda 1 and --lambda 1000 gave the same run, at 57.94% error.
    /// </summary>
    /// <returns>Null when the guard admits no rank at all: the layer is dense whatever λ, which then prices nothing there
    /// (a review's --max-relative-error 0.001 run was told its λ 1e-9 was past saturation).</returns>
    internal static bool? AtCheapestAdmissible(RankChoice choice, double[] admissible, CompressibleLayer layer, RankCost cost)
    {
        double cheapest = double.PositiveInfinity;
        int lastCandidate = Math.Min(RankSelection.DenseThreshold(layer.Rows, layer.Columns) - 1, admissible.Length - 1);
        for (int r = 0; r <= lastCandidate; r++)
            if (!double.IsPositiveInfinity(admissible[r])) cheapest = Math.Min(cheapest, cost.OfRank(r));
        if (double.IsPositiveInfinity(cheapest)) return null;
        return (choice.KeepDense ? cost.Dense : cost.OfRank(choice.Rank)) <= Math.Min(cheapest, cost.Dense);
    }

    /// <summary>
    /// Per layer, in parallel, the C step's target A_l = W_l − λ_l/μ and its error curve; the curve is null for a layer kept
    /// dense (named in --keep-dense, or the classifier), which is never factorized, so its decomposition would be wasted work.
    /// </summary>
    internal static (double[][] Targets, LayerCurve?[] Curves) Decompose(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<float[]> multipliers,
        double mu, LcOptions options)
    {
        var targets = new double[layers.Count][];
        var curves = new LayerCurve?[layers.Count];
        Parallel.For(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, l =>
        {
            float[] w = layers[l].Layer.Weight.Value, lambdas = multipliers[l];
            var target = new double[w.Length];
            for (int i = 0; i < w.Length; i++) target[i] = w[i] - lambdas[i] / mu;
            targets[l] = target;
            if (!options.KeepsDense(layers[l])) curves[l] = LayerCurve.Build(layers[l], target, options);
        });
        return (targets, curves);
    }

    /// <summary>C_l per layer under the options' criterion.</summary>
    internal static RankCost[] Costs(IReadOnlyList<CompressibleLayer> layers, LcOptions options) =>
        layers.Select(l => l.Cost(options.Criterion, options.LatencyModel)).ToArray();

    /// <summary>
    /// An upper bound on the ratio (dense cost / chosen cost, under the options' criterion) any λ can reach: the layers
    /// kept dense at their dense cost, those of fixed rank at its cost, every other layer at its cheapest rank from 1 up (the cost need not rise with the
    /// rank under a measured latency table). The rank guard usually forbids the lowest ranks, so the reachable ratio can
    /// be lower; a target above this bound is certainly impossible.
    /// </summary>
    public static double HighestReachableRatio(IReadOnlyList<CompressibleLayer> layers, LcOptions options)
    {
        double dense = 0, cheapest = 0;
        foreach (CompressibleLayer layer in layers)
        {
            RankCost cost = layer.Cost(options.Criterion, options.LatencyModel);
            dense += cost.Dense;
            cheapest += options.KeepsDense(layer) ? cost.Dense
                : options.FixedRankOf(layer) is int fixedRank ? cost.OfRank(fixedRank)
                : Math.Min(cost.Dense, Enumerable.Range(1, Math.Max(layer.MaxCandidateRank, 1)).Min(cost.OfRank));
        }
        return dense / cheapest;
    }

    /// <summary>
    /// e_l(r) for the ranks a C step may choose, +∞ for the others: a rank is not admissible when its error exceeds
    /// MaxRelativeError·‖A‖² (the rank guard) or when it saves less than MinRankSaving of the layer's numbers. Null for a
    /// layer kept dense (<see cref="LcOptions.KeepsDense"/>), which is dense whatever λ. For a layer of fixed rank that rank
    /// alone is admissible, guard or not: the user chose it, and the budget fill, which only takes finite errors, never moves it.
    /// With <see cref="LcOptions.NormalizeError"/> each error is divided by the layer's ‖A‖² (its error at rank 0), so that
    /// λ, the target-ratio search and the budget fill weigh shares of each layer's energy.
    /// </summary>
    internal static double[]?[] AdmissibleErrors(IReadOnlyList<CompressibleLayer> layers, LayerCurve?[] curves, LcOptions options) =>
        layers.Select((layer, l) =>
        {
            if (curves[l] is not { Errors: var errors }) return null;
            if (options.FixedRankOf(layer) is int fixedRank)
                return errors.Select((e, r) => r == fixedRank ? e : double.PositiveInfinity).ToArray();
            double limit = options.MaxRelativeError * errors[0];
            double scale = options.NormalizeError && errors[0] > 0 ? 1 / errors[0] : 1;
            return errors.Select((e, r) => e > limit || !layer.Saves(r, options.MinRankSaving) ? double.PositiveInfinity : e * scale).ToArray();
        }).ToArray();

    /// <summary>Per layer, RankSelection.Choose over <paramref name="errors"/> (<see cref="AdmissibleErrors"/>) with <paramref name="costs"/> as C_l;
    /// a layer of fixed rank (<paramref name="options"/>' FixedRanks) takes it, never the dense layer, whatever λ.</summary>
    internal static RankChoice[] Choose(IReadOnlyList<CompressibleLayer> layers, double[]?[] errors, RankCost[] costs, double lambda, double mu, LcOptions options) =>
        layers.Select((layer, l) => errors[l] is not double[] curve ? RankChoice.Dense(layer.Rows, layer.Columns, costs[l], lambda)
            : options.FixedRankOf(layer) is int fixedRank ? new RankChoice(fixedRank, KeepDense: false, lambda * costs[l].OfRank(fixedRank) + 0.5 * mu * curve[fixedRank])
            : RankSelection.Choose(curve, layer.Rows, layer.Columns, costs[l], lambda, mu)).ToArray();
}
