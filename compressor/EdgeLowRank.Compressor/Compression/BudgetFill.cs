using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The second half of a C step with a target ratio R. The bisection's λ can overshoot R: a rank off the lower
/// convex hull of its layer's error curve (CUR's curves are not convex; a nearly low-rank layer's is flat) is
/// no λ's minimizer, so the chosen rank jumps past it. This hands the rest of the budget Σ C(dense) / R back
/// greedily, which is the usual heuristic for the budget-constrained form min Σ e_l(r_l) s.t. Σ C_l(r_l) ≤ budget.
/// </summary>
internal static class BudgetFill
{
    /// <summary>
    /// Raises ranks while the total cost stays within <paramref name="budget"/>. Each move takes the layer and higher
    /// rank with the largest error drop per unit of extra cost. Only ranks the rank guard admits are considered, and only
    /// ranks that still save MinRankSaving of the layer, so no later rule turns the layer dense over budget.
    /// Dense choices stay dense.
    /// </summary>
    public static RankChoice[] Run(IReadOnlyList<CompressibleLayer> layers, LayerCurve?[] curves, RankCost[] costs, RankChoice[] choices,
        double budget, double lambda, double mu, LcOptions options)
    {
        var filled = (RankChoice[])choices.Clone();
        double spent = filled.Select((c, l) => c.KeepDense ? costs[l].Dense : costs[l].OfRank(c.Rank)).Sum();
        while (true)
        {
            (int layer, int rank, double extra, double score) best = (-1, -1, 0, 0);
            for (int l = 0; l < layers.Count; l++)
            {
                if (filled[l].KeepDense) continue;
                double[] errors = curves[l]!.Errors;
                int current = filled[l].Rank;
                double limit = options.MaxRelativeError * errors[0], costNow = costs[l].OfRank(current);
                for (int r = current + 1; r < errors.Length && r <= layers[l].MaxCandidateRank; r++)
                {
                    if (!layers[l].Saves(r, options.MinRankSaving)) break;
                    double extra = costs[l].OfRank(r) - costNow, gain = errors[current] - errors[r];
                    if (spent + extra > budget || gain <= 0 || errors[r] > limit) continue;
                    // A rank that costs nothing more (a latency table can say so) is taken before any that does.
                    double score = extra <= 0 ? double.PositiveInfinity : gain / extra;
                    if (score > best.score) best = (l, r, extra, score);
                }
            }
            if (best.layer < 0) return filled;
            double objective = lambda * costs[best.layer].OfRank(best.rank) + 0.5 * mu * curves[best.layer]!.Errors[best.rank];
            filled[best.layer] = new RankChoice(best.rank, KeepDense: false, objective);
            spent += best.extra;
        }
    }
}
