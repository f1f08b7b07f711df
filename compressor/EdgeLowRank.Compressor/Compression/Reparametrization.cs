using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The end of the LC steps: each layer with a low-rank decision becomes a <see cref="FactorizedLayer"/>
/// holding Θ_l's two factors (first = Right, r × n; second = Left, m × r, plus the original bias), so
/// that Second·First = Θ_l; dense decisions keep their trained W_l.
/// </summary>
internal static class Reparametrization
{
    public static void Apply(Network network, IReadOnlyList<CompressibleLayer> layers, IReadOnlyList<LayerDecision> decisions, FactorizationMethod method)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            if (decisions[l] is not { KeepDense: false, Left: { } left, Right: { } right, Rank: int r }) continue;
            WeightedLayer original = layers[l].Layer;
            FactorizedLayer replacement = FactorizedLayer.Of(original, r, method);
            var first = (WeightedLayer)replacement.First;
            var second = (WeightedLayer)replacement.Second;
            right.CopyTo(first.Weight.Value, 0);
            left.CopyTo(second.Weight.Value, 0);
            original.Bias?.Value.CopyTo(second.Bias!.Value, 0);
            network.Replace(layers[l].Index, replacement);
        }
    }
}
