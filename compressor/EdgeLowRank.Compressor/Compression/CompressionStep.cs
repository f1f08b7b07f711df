using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The C step: for every layer, independently and in parallel, Θ_l = argmin over admissible ranks r of
/// λ·C_l(r) + μ/2·‖W_l − λ_l/μ − Θ_l(r)‖², or the dense layer when no rank below mn/(m+n) beats it.
/// With a target ratio, λ is found by bisection over the same error curves (they do not depend on λ); with
/// FillBudget, what the bisection leaves of the budget is then filled greedily (<see cref="BudgetFill"/>).
/// </summary>
public static class CompressionStep
{
    /// <summary>Runs the C step on the current weights and multipliers.</summary>
    /// <param name="layers">The compressible layers.</param>
    /// <param name="multipliers">λ_l per layer (same layout as the weights).</param>
    /// <param name="mu">μ.</param>
    /// <param name="options">Method, criterion, λ or target ratio, rank guard, threads.</param>
    /// <returns>The decision per layer and the λ used.</returns>
    public static (LayerDecision[] Decisions, double Lambda) Run(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<float[]> multipliers,
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
            // A layer the user keeps dense is never factorized, so its decomposition would be wasted work.
            if (!options.KeepsDense(layers[l])) curves[l] = LayerCurve.Build(layers[l], target, options);
        });
        RankCost[] costs = layers.Select(l => l.Cost(options.Criterion, options.LatencyModel)).ToArray();
        double lambda = options.TargetRatio is double ratio ? LambdaForRatio(layers, curves, costs, mu, options, ratio) : options.Lambda;
        RankChoice[] choices = Choose(layers, curves, costs, lambda, mu, options);
        if (options.TargetRatio is double target && options.FillBudget)
            choices = BudgetFill.Run(layers, curves, costs, choices, costs.Sum(c => c.Dense) / target, lambda, mu, options);

        var decisions = new LayerDecision[layers.Count];
        Parallel.For(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, l =>
        {
            if (choices[l].KeepDense)
            {
                decisions[l] = new LayerDecision(choices[l].Rank, true, Array.ConvertAll(targets[l], x => (float)x), null, null);
                return;
            }
            LowRankFactors factors = curves[l]!.Factorize(choices[l].Rank);
            decisions[l] = new LayerDecision(choices[l].Rank, false, Array.ConvertAll(factors.ApproximationRowMajor(), x => (float)x),
                factors.LeftAsSingle(), factors.RightAsSingle());
        });
        return (decisions, lambda);
    }

    /// <summary>
    /// An upper bound on the ratio (dense cost / chosen cost, under the options' criterion) any λ can reach: the layers
    /// kept dense at their dense cost, every other layer at its cheapest rank from 1 up (the cost need not rise with the
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
            cheapest += options.KeepsDense(layer)
                ? cost.Dense
                : Math.Min(cost.Dense, Enumerable.Range(1, Math.Max(layer.MaxCandidateRank, 1)).Min(cost.OfRank));
        }
        return dense / cheapest;
    }

    /// <summary>
    /// Per layer, RankSelection.Choose over the admissible ranks: the guard removes every rank whose
    /// error exceeds MaxRelativeError·‖A‖² (their objective becomes +∞). A layer named in KeepDense is dense whatever λ.
    /// </summary>
    private static RankChoice[] Choose(IReadOnlyList<CompressibleLayer> layers, LayerCurve?[] curves, RankCost[] costs, double lambda, double mu,
        LcOptions options)
    {
        var choices = new RankChoice[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            if (options.KeepsDense(layers[l]))
            {
                choices[l] = RankChoice.Dense(layers[l].Rows, layers[l].Columns, costs[l], lambda);
                continue;
            }
            double[] errors = curves[l]!.Errors;
            double limit = options.MaxRelativeError * errors[0];
            double[] guarded = Array.ConvertAll(errors, e => e > limit ? double.PositiveInfinity : e);
            choices[l] = RankSelection.Choose(guarded, layers[l].Rows, layers[l].Columns, costs[l], lambda, mu);
        }
        return choices;
    }

    /// <summary>
    /// The λ whose choices come closest to <paramref name="ratio"/> (dense cost / chosen cost): the
    /// chosen cost falls as λ grows, so bisect log λ over [1e-16, 1e6] (60 halvings, all on the curves).
    /// </summary>
    private static double LambdaForRatio(IReadOnlyList<CompressibleLayer> layers, LayerCurve?[] curves, RankCost[] costs, double mu, LcOptions options,
        double ratio)
    {
        double dense = costs.Sum(c => c.Dense);
        double RatioAt(double lambda)
        {
            RankChoice[] choices = Choose(layers, curves, costs, lambda, mu, options);
            return dense / choices.Select((c, l) => c.KeepDense ? costs[l].Dense : costs[l].OfRank(c.Rank)).Sum();
        }
        double low = Math.Log(1e-16), high = Math.Log(1e6);
        for (int i = 0; i < 60; i++)
        {
            double middle = 0.5 * (low + high);
            if (RatioAt(Math.Exp(middle)) >= ratio) high = middle;
            else low = middle;
        }
        return Math.Exp(high);
    }
}
