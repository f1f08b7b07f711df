using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The second half of a C step with a target ratio R. The bisection's λ can overshoot R: a rank off the lower
/// convex hull of its layer's error curve (CUR's curves are not convex; a nearly low-rank layer's is flat) is
/// no λ's minimizer, so the chosen rank jumps past it. This hands the rest of the budgets back greedily, which is
/// the usual heuristic for the budget-constrained form min Σ e_l(r_l) s.t. Σ C_l(r_l) ≤ budget (and Σ F_l(r_l) ≤ the
/// FLOPs budget when there is one).
/// </summary>
internal static class BudgetFill
{
    /// <summary>
    /// Raises ranks while every budget holds. Each move takes the layer and higher rank with the largest error drop per
    /// unit of extra <paramref name="prices"/> (the cost λ was found for). <paramref name="errors"/> are the C step's admissible
    /// errors (+∞ for a rank the rank guard or MinRankSaving forbids), so only admissible ranks are taken. Dense choices stay dense.
    /// </summary>
    public static RankChoice[] Run(IReadOnlyList<CompressibleLayer> layers, double[]?[] errors, RankCost[] prices, IReadOnlyList<Budget> budgets,
        RankChoice[] choices, double lambda, double mu)
    {
        var filled = (RankChoice[])choices.Clone();
        double[] spent = budgets.Select(b => b.Spent(filled)).ToArray();
        while (true)
        {
            (int layer, int rank, double score) best = (-1, -1, 0);
            for (int l = 0; l < layers.Count; l++)
            {
                if (filled[l].KeepDense) continue;
                double[] curve = errors[l]!;
                int current = filled[l].Rank;
                double priceNow = prices[l].OfRank(current);
                for (int r = current + 1; r < curve.Length && r <= layers[l].MaxCandidateRank; r++)
                {
                    double gain = curve[current] - curve[r];
                    if (!(gain > 0) || !Fits(budgets, spent, l, current, r)) continue;
                    double extra = prices[l].OfRank(r) - priceNow;
                    // A rank that costs nothing more (a latency table can say so) is taken before any that does.
                    double score = extra <= 0 ? double.PositiveInfinity : gain / extra;
                    if (score > best.score) best = (l, r, score);
                }
            }
            if (best.layer < 0) return filled;
            int from = filled[best.layer].Rank;
            for (int b = 0; b < budgets.Count; b++) spent[b] += Extra(budgets[b], best.layer, from, best.rank);
            double objective = lambda * prices[best.layer].OfRank(best.rank) + 0.5 * mu * errors[best.layer]![best.rank];
            filled[best.layer] = new RankChoice(best.rank, KeepDense: false, objective);
        }
    }

    private static bool Fits(IReadOnlyList<Budget> budgets, double[] spent, int layer, int from, int to)
    {
        for (int b = 0; b < budgets.Count; b++)
        {
            if (spent[b] + Extra(budgets[b], layer, from, to) > budgets[b].Limit) return false;
        }
        return true;
    }

    private static double Extra(Budget budget, int layer, int from, int to) => budget.Costs[layer].OfRank(to) - budget.Costs[layer].OfRank(from);
}
