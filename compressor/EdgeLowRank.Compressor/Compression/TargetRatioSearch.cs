using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The ranks of a C step with a target ratio R instead of λ: the budget Σ C_l(dense) / R on the criterion's cost and,
/// with <see cref="LcOptions.MinFlopsRatio"/> F, a second budget Σ F_l(dense) / F on multiply–adds. λ is found by
/// bisection over the step's error curves (they do not depend on λ), then what it leaves of the budgets is filled
/// (<see cref="BudgetFill"/>). When that misses the FLOPs budget, each layer minimizes λ·[(1 − w)·C_l(r) + w·s·F_l(r)] + μ/2·e_l(r),
/// the Lagrangian of min Σ e_l subject to both budgets with multipliers λ(1 − w) and λw·s (s = Σ C(dense) / Σ F(dense)
/// puts both costs in the same units), for w on a grid over [0, 1]; the choice with the least total error that meets
/// both budgets wins.
/// </summary>
internal static class TargetRatioSearch
{
    /// <summary>Shares w = 0, 1/32, …, 1 of λ put on multiply–adds when there is a FLOPs budget.</summary>
    private const int FlopsShares = 32;

    /// <summary>The choices for target ratio <paramref name="ratio"/> and the λ they were made at (the mixed cost's price with a FLOPs floor).</summary>
    public static (RankChoice[] Choices, double Lambda) Run(IReadOnlyList<CompressibleLayer> layers, double[]?[] errors, RankCost[] costs,
        double mu, LcOptions options, double ratio)
    {
        var target = new Budget(costs, ratio);
        (RankChoice[] Choices, double Lambda) alone = Solve(layers, errors, costs, [target], mu, options);
        if (options.MinFlopsRatio is not double floor) return alone;

        RankCost[] flops = layers.Select(l => l.Cost(CostCriterion.Flops)).ToArray();
        var flopsBudget = new Budget(flops, floor);
        // A floor that the target alone already meets changes nothing.
        if (flopsBudget.Holds(alone.Choices)) return alone;

        Budget[] both = [target, flopsBudget];
        double scale = costs.Sum(c => c.Dense) / flops.Sum(c => c.Dense);
        (RankChoice[] Choices, double Lambda)[] solved = Enumerable.Range(0, FlopsShares + 1)
            .Select(i => Solve(layers, errors, Mix(costs, flops, (double)i / FlopsShares, scale), both, mu, options)).ToArray();
        (RankChoice[] Choices, double Lambda)[] feasible = solved.Where(s => both.All(b => b.Holds(s.Choices))).ToArray();
        if (feasible.Length > 0) return feasible.MinBy(s => TotalError(errors, s.Choices));
        // No share meets both: λ reached its ceiling, because the rank guard forbids the ranks that would. Keep the target
        // ratio and come as close to the floor as that allows; the step's report shows the FLOPs ratio reached.
        (RankChoice[] Choices, double Lambda)[] meetingRatio = solved.Where(s => target.Holds(s.Choices)).ToArray();
        return meetingRatio.Length > 0 ? meetingRatio.MinBy(s => flopsBudget.Spent(s.Choices)) : alone;
    }

    /// <summary>
    /// The smallest λ (bisection of log λ over [1e-16, 1e6], 60 halvings, all on the curves) whose choices under
    /// <paramref name="prices"/> keep every budget, then the budgets' leftovers filled.
    /// </summary>
    private static (RankChoice[] Choices, double Lambda) Solve(IReadOnlyList<CompressibleLayer> layers, double[]?[] errors, RankCost[] prices,
        IReadOnlyList<Budget> budgets, double mu, LcOptions options)
    {
        double low = Math.Log(1e-16), high = Math.Log(LcOptions.MaxLambda);
        for (int i = 0; i < 60; i++)
        {
            double middle = 0.5 * (low + high);
            RankChoice[] choices = CompressionStep.Choose(layers, errors, prices, Math.Exp(middle), mu, options);
            if (budgets.All(b => b.Holds(choices))) high = middle;
            else low = middle;
        }
        double lambda = Math.Exp(high);
        RankChoice[] chosen = CompressionStep.Choose(layers, errors, prices, lambda, mu, options);
        return (options.FillBudget ? BudgetFill.Run(layers, errors, prices, budgets, chosen, lambda, mu) : chosen, lambda);
    }

    /// <summary>Σ_l e_l at the choices (0 for a dense layer): the C step's objective under budgets.</summary>
    private static double TotalError(double[]?[] errors, RankChoice[] choices) =>
        choices.Select((c, l) => c.KeepDense ? 0 : errors[l]![c.Rank]).Sum();

    /// <summary>(1 − w)·C(r) + w·s·F(r) per layer.</summary>
    private static RankCost[] Mix(RankCost[] costs, RankCost[] flops, double w, double scale) =>
        costs.Select((c, l) => new RankCost(r => (1 - w) * c.OfRank(r) + w * scale * flops[l].OfRank(r), (1 - w) * c.Dense + w * scale * flops[l].Dense))
            .ToArray();
}
