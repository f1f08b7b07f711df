using System.Globalization;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Models;

/// <summary>
/// Ranks fixed before training (<c>elr train --ranks fc1=19,fc2=11</c>): the named dense or convolution layers are built
/// as factorized layers and their factors trained from a random start. This is the usual baseline for a compression
/// method — the compressed shape trained directly, without a reference network — which docs/RESULTS.md compares the
/// learning-compression runs with.
/// </summary>
public static class FixedRanks
{
    /// <summary>Reads "name=rank" pairs separated by commas, such as "fc1=19,fc2=11".</summary>
    /// <exception cref="TrainingException">A pair is malformed, a rank is not a positive whole number, or a layer is named twice.</exception>
    public static IReadOnlyDictionary<string, int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] pairs = text.Split(',', StringSplitOptions.TrimEntries);
        for (int i = 0; i < pairs.Length; i++)
        {
            string pair = pairs[i];
            if (pair.Length == 0)
                throw new TrainingException(pairs.Length == 1 ? "--ranks is empty; give layer=rank pairs separated by commas, such as fc1=19,fc2=11."
                    : $"--ranks entry {i + 1} of {pairs.Length} is empty (two commas in a row, or one at an end); give layer=rank pairs such as fc1=19,fc2=11.");
            string[] parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new TrainingException($"--ranks takes layer=rank pairs separated by commas, such as fc1=19,fc2=11; '{pair}' is not one.");
            if (parts[1].Length == 0 || !parts[1].All(char.IsAsciiDigit) || parts[1].All(c => c == '0'))
                throw new TrainingException($"--ranks gives {parts[0]} the rank '{parts[1]}'; a rank is a whole number of at least 1.");
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int rank))
                throw new TrainingException($"--ranks gives {parts[0]} the rank {parts[1]}, too large for any layer: a rank saves numbers only below the layer's m·n/(m+n).");
            if (!ranks.TryAdd(parts[0], rank))
                throw new TrainingException($"--ranks names {parts[0]} twice; give each layer one rank.");
        }
        return ranks;
    }

    /// <summary>"fc1=19,fc2=11": the ranks of <paramref name="network"/>'s factorized layers, in order, as <see cref="Parse"/> reads them.</summary>
    public static string Describe(Network network) =>
        string.Join(",", network.Layers.OfType<FactorizedLayer>().Select(f => $"{f.Name}={f.Rank}"));

    /// <summary>
    /// Replaces each named layer of <paramref name="network"/> by a factorized layer of its rank (method
    /// <see cref="FactorizationMethod.None"/>: no decomposition made these factors). The new layers hold no weights yet:
    /// initialize the network afterwards.
    /// </summary>
    /// <exception cref="TrainingException">A name is not a dense or convolution layer of the network (the message lists those
    /// there are), or a rank would store at least as many numbers as the dense layer.</exception>
    public static void Apply(Network network, IReadOnlyDictionary<string, int> ranks)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(ranks);
        // The layers the compressor would factorize, with the same limit its C step enumerates up to.
        IReadOnlyList<CompressibleLayer> weighted = CompressibleLayer.Find(network);
        if (Problem(weighted, ranks, network.Name, "leave it out to keep it dense") is string problem) throw new TrainingException(problem);
        foreach (CompressibleLayer layer in weighted.Where(l => ranks.ContainsKey(l.Layer.Name)))
            network.Replace(layer.Index, FactorizedLayer.Of(layer.Layer, ranks[layer.Layer.Name], FactorizationMethod.None));
    }

    /// <summary>
    /// Why <paramref name="ranks"/> do not fit <paramref name="layers"/> (the dense and convolution layers of network
    /// <paramref name="networkName"/>), or null when they do: a name that is not one of them, or a rank at or above the
    /// layer's dense threshold mn/(m+n). <c>elr train --ranks</c> and <c>elr compress --ranks</c> both refuse with it.
    /// </summary>
    /// <param name="layers">The network's dense and convolution layers (<see cref="CompressibleLayer.Find"/>).</param>
    /// <param name="ranks">The ranks by layer name, as <see cref="Parse"/> reads them.</param>
    /// <param name="networkName">The network's name, for the message.</param>
    /// <param name="denseAdvice">How the command keeps a layer dense instead ("leave it out to keep it dense").</param>
    public static string? Problem(IReadOnlyList<CompressibleLayer> layers, IReadOnlyDictionary<string, int> ranks, string networkName, string denseAdvice)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Keys.FirstOrDefault(name => !layers.Any(l => l.Layer.Name == name)) is string unknown)
            return $"--ranks names '{unknown}', but the dense and convolution layers of {networkName} are {string.Join(", ", layers.Select(l => l.Layer.Name))}.";
        foreach (CompressibleLayer layer in layers)
        {
            // At mn/(m+n) the two factors store as many numbers as the dense matrix: such a "compressed" layer is no smaller.
            if (ranks.TryGetValue(layer.Layer.Name, out int rank) && rank > layer.MaxCandidateRank)
                return $"--ranks gives {layer.Layer.Name} ({layer.Rows}×{layer.Columns}) rank {rank}, whose factors store "
                    + $"{(long)rank * (layer.Rows + layer.Columns):N0} numbers, no fewer than its dense {(long)layer.Rows * layer.Columns:N0}: "
                    + $"from rank {layer.MaxCandidateRank + 1} on the layer is better left dense; give it a rank from 1 to {layer.MaxCandidateRank}, or {denseAdvice}.";
        }
        return null;
    }
}
