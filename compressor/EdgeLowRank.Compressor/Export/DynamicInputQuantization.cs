using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Export;

/// <summary>
/// Which layers of a model can quantize their inputs as they run (<see cref="InputQuantization.Dynamic"/>), and the model with
/// them so marked: the matrix layers, Dense, FactorizedDense, Conv2d and FactorizedConv2d (each sample a dense layer's row, a
/// convolution's whole image, quantized with one scale), or those of the kinds a <see cref="DynamicOps"/> selects. A depthwise
/// convolution keeps f32 inputs: its filters are no matrix and stay f32, and the runtime has no integer kernel for them.
/// </summary>
public static class DynamicInputQuantization
{
    /// <summary>The property a model with dynamic layers records, naming the scheme.</summary>
    public const string Property = "quantize.activations";

    /// <summary>What <see cref="Property"/> holds.</summary>
    public const string Scheme = "dynamic: each sample's inputs (a convolution's whole image) to uint8 (asymmetric, one scale each) as each layer of quantize.dynamic-layers runs, integer products";

    /// <summary>The property naming the dynamic layers, comma-separated.</summary>
    public const string LayersProperty = "quantize.dynamic-layers";

    /// <summary>The property naming the kinds asked for (<see cref="DynamicOpsWords.Of"/>): with <see cref="LayersProperty"/>, it
    /// tells a layer left weight-only by choice from one that could not be made dynamic.</summary>
    public const string OpsProperty = "quantize.dynamic-ops";

    /// <summary>The indices of the layers of <paramref name="model"/> that can take dynamic input quantization once their
    /// matrices are int8: Dense, FactorizedDense, Conv2d and FactorizedConv2d layers of a kind in <paramref name="ops"/>, not named
    /// in <paramref name="keepFloat"/>, whose matrices have at most <see cref="Layer.MaxIntegerInputs"/> rows. <paramref name="reasons"/>
    /// says, for every other layer with weights, why not (a layer of a kind left out of <paramref name="ops"/>: "conv1 is a
    /// convolution, not among --dynamic-ops dense").</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ops"/> selects no kind, or one that does not exist.</exception>
    public static int[] Eligible(Model model, IReadOnlyCollection<string> keepFloat, DynamicOps ops, out IReadOnlyList<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(keepFloat);
        if (ops == 0 || (ops & ~DynamicOps.All) != 0) throw new ArgumentOutOfRangeException(nameof(ops), ops, "Expected Dense, Convolution or both.");
        string[] names = LayerNames.Of(model.Layers);
        var eligible = new List<int>();
        var why = new List<string>();
        for (int i = 0; i < names.Length; i++)
        {
            Layer layer = model.Layers[i];
            if (layer.ParameterCount == 0) continue;
            string? reason = layer switch
            {
                _ when keepFloat.Contains(names[i]) => "is kept f32 by --keep-float",
                DepthwiseConv2dLayer => "is a depthwise convolution (its filters stay f32)",
                // With one kind left out, the selection is the other one alone, so the reason can name it.
                Conv2dLayer or FactorizedConv2dLayer when !ops.HasFlag(DynamicOps.Convolution) => "is a convolution, not among --dynamic-ops dense",
                DenseLayer or FactorizedDenseLayer when !ops.HasFlag(DynamicOps.Dense) => "is a dense layer, not among --dynamic-ops conv",
                _ when layer.WeightMatrices.Max(m => m.Rows) is var rows && rows > Layer.MaxIntegerInputs =>
                    $"has {rows:N0} inputs to a product, more than the {Layer.MaxIntegerInputs:N0} an int32 sum holds",
                _ => null,
            };
            if (reason is null) eligible.Add(i);
            else why.Add($"{names[i]} {reason}");
        }
        reasons = why;
        return eligible.ToArray();
    }

    /// <summary>A model with the same layers as <paramref name="quantized"/>, those at <paramref name="layers"/> (Dense,
    /// FactorizedDense, Conv2d or FactorizedConv2d, every matrix int8) rebuilt with <see cref="InputQuantization.Dynamic"/>, and the
    /// scheme, their names and the kinds <paramref name="ops"/> asked for in the metadata. The layers share
    /// <paramref name="quantized"/>'s memory.</summary>
    /// <exception cref="ArgumentException">A layer at <paramref name="layers"/> is of another kind or has an f32 matrix.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ops"/> selects no kind, or one that does not exist.</exception>
    public static Model Mark(Model quantized, IReadOnlyCollection<int> layers, DynamicOps ops)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(layers);
        string[] names = LayerNames.Of(quantized.Layers);
        Layer[] marked = quantized.Layers.Select((layer, i) => layers.Contains(i) ? LayerEdits.With(layer, InputQuantization.Dynamic) : layer).ToArray();
        var properties = new Dictionary<string, string>(quantized.Metadata.Properties)
        {
            [Property] = Scheme,
            [LayersProperty] = string.Join(',', layers.Order().Select(i => names[i])),
            [OpsProperty] = DynamicOpsWords.Of(ops),
        };
        return new Model(quantized.InputShape, marked, quantized.Metadata with { Properties = properties });
    }
}
