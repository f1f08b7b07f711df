using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// One weight matrix W_l the joint optimization compresses: a <see cref="Dense"/> (outputs × inputs) or a
/// <see cref="Conv2d"/> (c_out × k·k·c_in) layer of the network, with what its cost needs to know.
/// </summary>
public sealed class CompressibleLayer
{
    private CompressibleLayer(int index, WeightedLayer layer, long outputPixels, bool isClassifier)
    {
        Index = index;
        Layer = layer;
        OutputPixels = outputPixels;
        IsClassifier = isClassifier;
    }

    /// <summary>The layer's position in the network.</summary>
    public int Index { get; }

    /// <summary>The dense or convolution layer.</summary>
    public WeightedLayer Layer { get; }

    /// <summary>m: outputs (c_out).</summary>
    public int Rows => Layer.Weight.Rows;

    /// <summary>n: fan-in (k·k·c_in for a convolution).</summary>
    public int Columns => Layer.Weight.Columns;

    /// <summary>Output pixels per sample: 1 for a dense layer, H_out·W_out for a convolution.</summary>
    public long OutputPixels { get; }

    /// <summary>True for the network's last weight layer when it is a dense one: the classifier, one output per class.</summary>
    public bool IsClassifier { get; }

    /// <summary>The highest rank worth enumerating: below mn/(m+n), and at most min(m, n).</summary>
    public int MaxCandidateRank => Math.Min(Math.Min(Rows, Columns), RankSelection.DenseThreshold(Rows, Columns) - 1);

    /// <summary>True when rank <paramref name="rank"/> stores at most (1 − <paramref name="fraction"/>) of the layer's mn numbers.</summary>
    public bool Saves(int rank, double fraction) => (double)rank * (Rows + Columns) <= (1 - fraction) * Rows * Columns;

    /// <summary>C(r) under <paramref name="criterion"/>; <paramref name="latency"/> is the board's model for <see cref="CostCriterion.Latency"/>,
    /// priced in nanoseconds (<see cref="LatencyCostUnit"/>).</summary>
    /// <exception cref="Latency.LatencyTableException">The latency table has no measurement of this convolution's shape.</exception>
    public RankCost Cost(CostCriterion criterion, Latency.LatencyCostModel? latency = null) => criterion switch
    {
        CostCriterion.Flops => RankCost.Flops(Rows, Columns, OutputPixels),
        CostCriterion.Latency when Layer is Conv2d => InNanoseconds(Required(latency).ForConvolution(patchLength: Columns, outputs: Rows, checked((int)OutputPixels), MaxCandidateRank, Layer.Name)),
        CostCriterion.Latency => InNanoseconds(Required(latency).ForDense(inputs: Columns, outputs: Rows)),
        _ => RankCost.Storage(Rows, Columns),
    };

    /// <summary>
    /// Seconds per unit of the latency cost: the C step prices a layer's time in nanoseconds. In seconds a layer costs 1e-6 to
    /// 1e-4, so λ·C(r) stayed below μ/2·e(r) at any λ up to <see cref="LcOptions.MaxLambda"/> once μ was large while W was
    /// still far from low rank: a 2-step run (μ from 0.001 to 1.97) kept every layer dense at the λ ceiling. In nanoseconds a
    /// layer costs what the storage criterion's thousands of numbers do, the scale λ's range was made for.
    /// </summary>
    public const double LatencyCostUnit = 1e-9;

    private static RankCost InNanoseconds(RankCost seconds) =>
        new(r => seconds.OfRank(r) / LatencyCostUnit, seconds.Dense / LatencyCostUnit);

    private static Latency.LatencyCostModel Required(Latency.LatencyCostModel? latency) =>
        latency ?? throw new CompressionException("The latency criterion needs a latency table (--latency-table).");

    /// <summary>Throws unless every name in <paramref name="options"/>' KeepDense is one of <paramref name="layers"/> and at least one layer is left to compress.</summary>
    /// <exception cref="CompressionException">A name is not a compressible layer (the message lists the ones there are), or no layer is left.</exception>
    public static void RequireNames(IReadOnlyList<CompressibleLayer> layers, LcOptions options)
    {
        string[] unknown = options.KeepDense.Where(name => !layers.Any(l => l.Layer.Name == name)).ToArray();
        if (unknown.Length > 0)
            throw new CompressionException($"--keep-dense names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, but the compressible layers are "
                + $"{string.Join(", ", layers.Select(l => l.Layer.Name + (options.HoldsDense(l) ? " (the classifier, dense unless --compress-classifier)" : "")))} (see `elr inspect MODEL`).");
        // --compress-classifier must have a classifier to free. Naming the classifier in --keep-dense contradicts it, and without it
        // changes nothing but the run's recorded settings (two names for one run), so either way it is refused.
        CompressibleLayer? classifier = layers.FirstOrDefault(l => l.IsClassifier);
        if (options.CompressClassifier && classifier is null)
            throw new CompressionException($"--compress-classifier lets the C step factorize the classifier, but the last weight layer, {layers[^1].Layer.Name}, "
                + "is a convolution, not a dense classifier, so it would change nothing; drop --compress-classifier.");
        if (classifier is not null && options.KeepDense.Contains(classifier.Layer.Name))
            throw new CompressionException(options.CompressClassifier
                ? $"--keep-dense names the classifier {classifier.Layer.Name}, which --compress-classifier lets the C step factorize; give one of the two."
                : $"--keep-dense names {classifier.Layer.Name}, the classifier, which stays dense by default; drop it from --keep-dense.");
        // With λ nothing else would stop it: the run would train for all its LC steps and write a 1.00× "compressed" copy.
        if (layers.All(options.KeepsDense))
            throw new CompressionException($"No layer is left to compress: every one is kept dense ({options.DenseLayerList(layers)}); {options.FewerDenseAdvice(layers)}.");
    }

    /// <summary>The layers of <paramref name="network"/> with a weight matrix, in order.</summary>
    /// <exception cref="CompressionException">There are none.</exception>
    public static IReadOnlyList<CompressibleLayer> Find(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var found = new List<CompressibleLayer>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is Dense or Conv2d)
            {
                var output = network.InputShapeOf(i + 1);
                long pixels = network.Layers[i] is Conv2d ? (long)output[0] * output[1] : 1;
                bool last = !network.Layers.Skip(i + 1).Any(later => later is Dense or Conv2d);
                found.Add(new CompressibleLayer(i, (WeightedLayer)network.Layers[i], pixels, isClassifier: last && network.Layers[i] is Dense));
            }
        }
        if (found.Count == 0)
            throw new CompressionException($"{network.Name} has no dense or convolution layer to factorize (is it already compressed?).");
        return found;
    }
}
