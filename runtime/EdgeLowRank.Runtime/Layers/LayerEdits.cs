namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A matrix layer or a depthwise convolution made again with something the next node adds: a bias (Add), an activation
/// (Relu; a residual Add takes one too), or a batch normalization folded in (its scale into the weights' columns, its shift into the bias), as
/// converters fold it for inference. A depthwise layer's filter table has one column per channel, so it folds the same way.
/// The ONNX import folds the nodes after a layer with it, and the compressor's export folds a trained batch norm.
/// </summary>
internal static class LayerEdits
{
    /// <summary>The number of outputs (columns, channels) of the layer.</summary>
    public static int Outputs(Layer layer) => layer is DepthwiseConv2dLayer d ? d.Channels : Last(layer).Columns;

    /// <summary>The layer's bias; empty when it has none.</summary>
    public static ReadOnlyMemory<float> Bias(Layer layer) => layer switch
    {
        DenseLayer d => d.Bias,
        FactorizedDenseLayer f => f.Bias,
        Conv2dLayer c => c.Bias,
        FactorizedConv2dLayer f => f.Bias,
        DepthwiseConv2dLayer d => d.Bias,
        _ => throw new ArgumentException($"{layer.Kind} is not a matrix layer."),
    };

    /// <summary>The layer with <paramref name="activation"/>; a residual Add takes one too (a ReLU after the sum).</summary>
    public static Layer With(Layer layer, Activation activation) =>
        layer is AddLayer add ? new AddLayer(add.Source, activation) : Rebuild(layer, null, Bias(layer), activation);

    /// <summary>The layer with <paramref name="bias"/> instead of its own.</summary>
    public static Layer With(Layer layer, ReadOnlyMemory<float> bias) => Rebuild(layer, null, bias, layer.Activation);

    /// <summary>A Dense, FactorizedDense, Conv2d or FactorizedConv2d layer with <paramref name="quantization"/>: with
    /// <see cref="InputQuantization.Dynamic"/> it quantizes its inputs and multiplies in integers (its weight matrices must be
    /// int8). Any other layer is returned as it is when <paramref name="quantization"/> is <see cref="InputQuantization.None"/>.</summary>
    /// <exception cref="ArgumentException">The layer cannot take <paramref name="quantization"/>: it is no matrix layer (a
    /// depthwise convolution's filters are f32), or a weight matrix is f32.</exception>
    public static Layer With(Layer layer, InputQuantization quantization) => layer switch
    {
        DenseLayer d => new DenseLayer(d.Weights, d.Bias, d.Activation, quantization),
        FactorizedDenseLayer f => new FactorizedDenseLayer(f.First, f.Second, f.Bias, f.Activation, f.Method, quantization),
        Conv2dLayer c => new Conv2dLayer(c.Weights, c.Bias, c.InputChannels, c.Geometry, c.Activation, quantization),
        FactorizedConv2dLayer f => new FactorizedConv2dLayer(f.First, f.Second, f.Bias, f.InputChannels, f.Geometry, f.Activation, f.Method, quantization),
        _ when quantization == InputQuantization.None => layer,
        _ => throw new ArgumentException($"Only Dense, FactorizedDense, Conv2d and FactorizedConv2d layers quantize their inputs, not {layer.Kind}.", nameof(layer)),
    };

    /// <summary>The layer followed by y·scale + shift per output (a batch normalization at inference): the columns of the
    /// weights that make its outputs times scale, and its bias b·scale + shift. Only f32 weights can absorb it.</summary>
    /// <exception cref="ArgumentException">The layer's weights are int8, or it is no matrix or depthwise layer.</exception>
    public static Layer WithAffine(Layer layer, float[] scale, float[] shift)
    {
        if (layer is not DepthwiseConv2dLayer && Last(layer).ElementType != ElementType.Float32)
            throw new ArgumentException("a batch normalization cannot be folded into int8 weights; fold it into the float model, then quantize it (elr quantize).");
        ReadOnlySpan<float> old = Bias(layer).Span;
        var bias = new float[scale.Length];
        for (int j = 0; j < bias.Length; j++) bias[j] = (old.IsEmpty ? 0 : old[j]) * scale[j] + shift[j];
        return Rebuild(layer, scale, bias, layer.Activation);
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

    /// <summary>The layer with <paramref name="bias"/> and <paramref name="activation"/>, and with the columns of the weights
    /// that make its outputs times <paramref name="columnScale"/> (null: as they are).</summary>
    private static Layer Rebuild(Layer layer, float[]? columnScale, ReadOnlyMemory<float> bias, Activation activation) => layer switch
    {
        DenseLayer d => new DenseLayer(Scaled(d.Weights, columnScale), bias, activation, d.InputQuantization),
        FactorizedDenseLayer f => new FactorizedDenseLayer(f.First, Scaled(f.Second, columnScale), bias, activation, f.Method, f.InputQuantization),
        Conv2dLayer c => new Conv2dLayer(Scaled(c.Weights, columnScale), bias, c.InputChannels, c.Geometry, activation, c.InputQuantization),
        FactorizedConv2dLayer f => new FactorizedConv2dLayer(f.First, Scaled(f.Second, columnScale), bias, f.InputChannels, f.Geometry, activation,
            f.Method, f.InputQuantization),
        DepthwiseConv2dLayer d => new DepthwiseConv2dLayer(columnScale is null ? d.Filters : ScaledColumns(d.Filters.ToArray(), columnScale),
            bias, d.Channels, d.Geometry, activation),
        _ => throw new ArgumentException($"{layer.Kind} is not a matrix layer."),
    };

    private static PackedMatrix Scaled(PackedMatrix matrix, float[]? columnScale) => columnScale is null
        ? matrix
        : PackedMatrix.FromRowMajor(ScaledColumns(matrix.ToRowMajor(), columnScale), matrix.Rows, matrix.Columns);

    /// <summary>Row-major rows of <paramref name="scale"/>.Length columns, each column times its scale.</summary>
    private static float[] ScaledColumns(float[] values, float[] scale)
    {
        for (int i = 0; i < values.Length; i++) values[i] *= scale[i % scale.Length];
        return values;
    }
}
