using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>A ceiling on one cost of the C step's choices: Σ_l C_l(choice) ≤ Σ_l C_l(dense) / ratio.</summary>
internal sealed class Budget
{
    /// <param name="costs">C_l per layer.</param>
    /// <param name="ratio">How many times below dense the total must be.</param>
    public Budget(RankCost[] costs, double ratio)
    {
        Costs = costs;
        Ratio = ratio;
        Dense = costs.Sum(c => c.Dense);
        Limit = Dense / ratio;
    }

    /// <summary>C_l per layer.</summary>
    public RankCost[] Costs { get; }

    /// <summary>The ratio to reach.</summary>
    public double Ratio { get; }

    /// <summary>Σ_l C_l(dense).</summary>
    public double Dense { get; }

    /// <summary>Σ_l C_l(dense) / ratio.</summary>
    public double Limit { get; }

    /// <summary>C_l at layer <paramref name="layer"/>'s <paramref name="choice"/>.</summary>
    private double Of(int layer, RankChoice choice) => choice.KeepDense ? Costs[layer].Dense : Costs[layer].OfRank(choice.Rank);

    /// <summary>Σ_l C_l at the choices.</summary>
    public double Spent(IReadOnlyList<RankChoice> choices) => choices.Select((c, l) => Of(l, c)).Sum();

    /// <summary>
    /// True when the choices are at least <see cref="Ratio"/> times below dense. Written as a ratio test, not Spent ≤ Limit,
    /// because that is the test the one-budget bisection always made, and the two can differ in the last bit.
    /// </summary>
    public bool Holds(IReadOnlyList<RankChoice> choices) => Dense / Spent(choices) >= Ratio;
}
