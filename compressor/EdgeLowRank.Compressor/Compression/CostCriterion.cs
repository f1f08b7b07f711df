namespace EdgeLowRank.Compressor.Compression;

/// <summary>What the compression cost C_l(r) counts.</summary>
public enum CostCriterion
{
    /// <summary>Stored numbers: r(m+n) factorized, mn dense.</summary>
    Storage,

    /// <summary>Multiply–adds per sample: r(m+n)·(output pixels) factorized, mn·(output pixels) dense.</summary>
    Flops,

    /// <summary>Seconds per inference on a board, predicted from its measured latency table
    /// (<see cref="Latency.LatencyCostModel"/>): a layer is factorized only where that is faster there.</summary>
    Latency,
}
