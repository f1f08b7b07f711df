using EdgeLowRank.Compressor.Factorization;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>Storage and FLOPs ratios (dense / compressed) of the weight matrices at given decisions.</summary>
public static class CompressionRatios
{
    /// <summary>Σ mn / Σ (dense ? mn : r(m+n)) over the layers.</summary>
    public static double Storage(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<LayerDecision> decisions) =>
        Ratio(layers, decisions, _ => 1);

    /// <summary>The same, each layer weighted by its output pixels (multiply–adds per sample).</summary>
    public static double Flops(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<LayerDecision> decisions) =>
        Ratio(layers, decisions, l => l.OutputPixels);

    /// <summary>
    /// Σ C_l(dense) / Σ C_l(rank) under the run's criterion, the quantity --target-ratio bounds; for the latency criterion the
    /// board's predicted latency of the weight layers, which the written model cannot show on this machine.
    /// </summary>
    /// <param name="layers">The compressed layers.</param>
    /// <param name="ranks">Per layer the rank, or −1 where it stays dense (<see cref="LcStepReport.Ranks"/>).</param>
    /// <param name="options">The run's criterion and, for latency, its table.</param>
    /// <exception cref="Latency.LatencyTableException">The latency criterion's table lacks a layer's shape.</exception>
    public static double UnderCriterion(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<int> ranks, LcOptions options)
    {
        RankCost[] costs = CompressionStep.Costs(layers, options);
        double chosen = costs.Select((c, l) => ranks[l] < 0 ? c.Dense : c.OfRank(ranks[l])).Sum();
        return costs.Sum(c => c.Dense) / chosen;
    }

    private static double Ratio(IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<LayerDecision> decisions, Func<CompressibleLayer, long> weight)
    {
        double dense = 0, compressed = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            double mn = (double)layers[l].Rows * layers[l].Columns * weight(layers[l]);
            dense += mn;
            compressed += decisions[l].KeepDense ? mn : (double)decisions[l].Rank * (layers[l].Rows + layers[l].Columns) * weight(layers[l]);
        }
        return compressed == 0 ? double.PositiveInfinity : dense / compressed;
    }
}
