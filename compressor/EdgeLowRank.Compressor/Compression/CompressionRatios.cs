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
