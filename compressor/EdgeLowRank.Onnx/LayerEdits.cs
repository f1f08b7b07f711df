using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx;

/// <summary>
/// A matrix layer made again with something the next node adds: a bias (Add), an activation (Relu), or a batch
/// normalization folded in (its scale into the weights' columns, its shift into the bias), as converters fold it for inference.
/// </summary>
internal static class LayerEdits
{
    /// <summary>The number of outputs (columns, channels) of a matrix layer.</summary>
    public static int Outputs(Layer layer) => Last(layer).Columns;

    /// <summary>The layer's bias; empty when it has none.</summary>
    public static ReadOnlyMemory<float> Bias(Layer layer) => layer switch
    {
        DenseLayer d => d.Bias,
        FactorizedDenseLayer f => f.Bias,
        Conv2dLayer c => c.Bias,
        FactorizedConv2dLayer f => f.Bias,
        _ => throw new ArgumentException($"{layer.Kind} is not a matrix layer."),
    };

    /// <summary>The layer with <paramref name="activation"/>.</summary>
    public static Layer With(Layer layer, Activation activation) => Rebuild(layer, Last(layer), Bias(layer), activation);

    /// <summary>The layer with <paramref name="bias"/> instead of its own.</summary>
    public static Layer With(Layer layer, ReadOnlyMemory<float> bias) => Rebuild(layer, Last(layer), bias, layer.Activation);

    /// <summary>The layer followed by y·scale + shift per output (a batch normalization at inference): its last matrix's
    /// columns times scale, and its bias b·scale + shift. Only f32 weights can absorb it.</summary>
    public static Layer WithAffine(Layer layer, float[] scale, float[] shift, string where)
    {
        PackedMatrix last = Last(layer);
        if (last.ElementType != ElementType.Float32)
            throw new OnnxImportException($"{where}: a batch normalization cannot be folded into int8 weights; import the float model and quantize it with elr quantize.");
        float[] values = last.ToRowMajor();
        for (int i = 0; i < values.Length; i++) values[i] *= scale[i % last.Columns];
        ReadOnlySpan<float> old = Bias(layer).Span;
        var bias = new float[last.Columns];
        for (int j = 0; j < bias.Length; j++) bias[j] = (old.IsEmpty ? 0 : old[j]) * scale[j] + shift[j];
        return Rebuild(layer, PackedMatrix.FromRowMajor(values, last.Rows, last.Columns), bias, layer.Activation);
    }

    /// <summary>The matrix that produces the layer's outputs (a factorized layer's second factor).</summary>
    private static PackedMatrix Last(Layer layer) => layer switch
    {
        DenseLayer d => d.Weights,
        FactorizedDenseLayer f => f.Second,
        Conv2dLayer c => c.Weights,
        FactorizedConv2dLayer f => f.Second,
        _ => throw new ArgumentException($"{layer.Kind} is not a matrix layer."),
    };

    private static Layer Rebuild(Layer layer, PackedMatrix last, ReadOnlyMemory<float> bias, Activation activation) => layer switch
    {
        DenseLayer => new DenseLayer(last, bias, activation),
        FactorizedDenseLayer f => new FactorizedDenseLayer(f.First, last, bias, activation, f.Method),
        Conv2dLayer c => new Conv2dLayer(last, bias, c.InputChannels, c.Geometry, activation),
        FactorizedConv2dLayer f => new FactorizedConv2dLayer(f.First, last, bias, f.InputChannels, f.Geometry, activation, f.Method),
        _ => throw new ArgumentException($"{layer.Kind} is not a matrix layer."),
    };
}
