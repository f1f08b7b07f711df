using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The ranks of a C step with a target ratio R instead of λ: the budget Σ C_l(dense) / R on the criterion's cost and,
/// with <see cref="LcOptions.MinFlopsRatio"/> F, a second budget Σ F_l(dense) / F on multiply–adds. λ is found by
/// bisection over the step's error curves (they do not depend on λ), then what it leaves of the budgets is filled
/// (<see cref="BudgetFill"/>). When those ranks break the FLOPs budget, multiply–adds get a price too: each layer
/// minimizes λ·[(1 − w)·C_l(r) + w·s·F_l(r)] + μ/2·e_l(r), s = Σ C(dense) / Σ F(dense) putting both costs in the same
/// units, and w ∈ (0, 1] is bisected for the smallest share that meets both budgets: two Lagrange multipliers, λ(1 − w)
/// and λw·s.
/// </summary>
internal static class TargetRatioSearch
{
    /// <summary>The choices for target ratio <paramref name="ratio"/> and the λ they were made at (the mixed cost's price with a FLOPs floor).</summary>
    public static (RankChoice[] Choices, double Lambda) Run(IReadOnlyList<CompressibleLayer> layers, double[]?[] errors, RankCost[] costs,
        double mu, LcOptions options, double ratio)
    {
        var budgets = new List<Budget> { new(costs, ratio) };
        if (options.MinFlopsRatio is not double floor) return Solve(layers, errors, costs, budgets, mu, options);

        RankCost[] flops = layers.Select(l => l.Cost(CostCriterion.Flops)).ToArray();
        var flopsBudget = new Budget(flops, floor);
        budgets.Add(flopsBudget);
        (RankChoice[] Choices, double Lambda) found = Solve(layers, errors, costs, budgets, mu, options);
        if (flopsBudget.Holds(found.Choices)) return found;

        double scale = costs.Sum(c => c.Dense) / flops.Sum(c => c.Dense);
        (RankChoice[] Choices, double Lambda) At(double w) => Solve(layers, errors, Mix(costs, flops, w, scale), budgets, mu, options);
        found = At(1);
        // Not even pricing multiply–adds alone meets both budgets (the rank guard can forbid the ranks it would take):
        // the closest choice is kept, and the step's report shows the FLOPs ratio it reached.
        if (!flopsBudget.Holds(found.Choices)) return found;
        double low = 0, high = 1;
        for (int i = 0; i < 30; i++)
        {
            double middle = 0.5 * (low + high);
            (RankChoice[] Choices, double Lambda) trial = At(middle);
            if (flopsBudget.Holds(trial.Choices)) (high, found) = (middle, trial);
            else low = middle;
        }
        return found;
    }

    /// <summary>
    /// The smallest λ (bisection of log λ over [1e-16, 1e6], 60 halvings, all on the curves) whose choices under
    /// <paramref name="prices"/> keep the first budget, then the budgets' leftovers filled.
    /// </summary>
    private static (RankChoice[] Choices, double Lambda) Solve(IReadOnlyList<CompressibleLayer> layers, double[]?[] errors, RankCost[] prices,
        IReadOnlyList<Budget> budgets, double mu, LcOptions options)
    {
        double low = Math.Log(1e-16), high = Math.Log(1e6);
        for (int i = 0; i < 60; i++)
        {
            double middle = 0.5 * (low + high);
            if (budgets[0].Holds(CompressionStep.Choose(layers, errors, prices, Math.Exp(middle), mu))) high = middle;
            else low = middle;
        }
        double lambda = Math.Exp(high);
        RankChoice[] choices = CompressionStep.Choose(layers, errors, prices, lambda, mu);
        return (options.FillBudget ? BudgetFill.Run(layers, errors, prices, budgets, choices, lambda, mu) : choices, lambda);
    }

    /// <summary>(1 − w)·C(r) + w·s·F(r) per layer; w = 0 is the criterion's cost itself.</summary>
    private static RankCost[] Mix(RankCost[] costs, RankCost[] flops, double w, double scale) =>
        costs.Select((c, l) => new RankCost(r => (1 - w) * c.OfRank(r) + w * scale * flops[l].OfRank(r), (1 - w) * c.Dense + w * scale * flops[l].Dense))
            .ToArray();
}
