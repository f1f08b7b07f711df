namespace EdgeLowRank.Runtime.Layers;

/// <summary>Builds a model from another with its weight matrices transformed, for example quantized to int8
/// (<see cref="PackedMatrix.Quantize"/>) or widened back to f32.</summary>
internal static class ModelWeights
{
    /// <summary>
    /// A new model with the same shape, layers, biases and metadata (or <paramref name="metadata"/>), and every weight matrix
    /// replaced by <paramref name="map"/>(layer index, matrix). A layer that quantizes its inputs keeps doing so while its
    /// matrices stay int8. Whatever the map returns unchanged, every bias and every
    /// depthwise filter table (no matrix, so never mapped) is copied into managed memory, so the new model does not depend on
    /// <paramref name="model"/>, which may be disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The map changed a matrix's dimensions.</exception>
    public static Model MapMatrices(Model model, Func<int, PackedMatrix, PackedMatrix> map, ModelMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(map);
        var layers = new Layer[model.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            int index = i;
            PackedMatrix Map(PackedMatrix matrix)
            {
                PackedMatrix result = map(index, matrix);
                if ((result.Rows, result.Columns) != (matrix.Rows, matrix.Columns))
                    throw new ArgumentException($"Layer {index}: the map turned a {matrix.Rows}×{matrix.Columns} matrix into {result.Rows}×{result.Columns}.", nameof(map));
                return ReferenceEquals(result, matrix) ? Copy(matrix) : result;
            }
            layers[i] = model.Layers[i] switch
            {
                DenseLayer d => Dense(d, Map(d.Weights)),
                FactorizedDenseLayer f => Factorized(f, Map(f.First), Map(f.Second)),
                Conv2dLayer c => Conv(c, Map(c.Weights)),
                FactorizedConv2dLayer f => FactorizedConv(f, Map(f.First), Map(f.Second)),
                DepthwiseConv2dLayer d => new DepthwiseConv2dLayer(d.Filters.ToArray(), d.Bias.ToArray(), d.Channels, d.Geometry, d.Activation),
                Layer other => other, // no weights: nothing in the old model's memory
            };
        }
        return new Model(model.InputShape, layers, metadata ?? model.Metadata);
    }

    private static DenseLayer Dense(DenseLayer d, PackedMatrix weights) =>
        new(weights, d.Bias.ToArray(), d.Activation, Kept(d.InputQuantization, weights));

    private static FactorizedDenseLayer Factorized(FactorizedDenseLayer f, PackedMatrix first, PackedMatrix second) =>
        new(first, second, f.Bias.ToArray(), f.Activation, f.Method, Kept(f.InputQuantization, first, second));

    private static Conv2dLayer Conv(Conv2dLayer c, PackedMatrix weights) =>
        new(weights, c.Bias.ToArray(), c.InputChannels, c.Geometry, c.Activation, Kept(c.InputQuantization, weights));

    private static FactorizedConv2dLayer FactorizedConv(FactorizedConv2dLayer f, PackedMatrix first, PackedMatrix second) =>
        new(first, second, f.Bias.ToArray(), f.InputChannels, f.Geometry, f.Activation, f.Method, Kept(f.InputQuantization, first, second));

    /// <summary>A layer's input quantization while its mapped matrices are all int8; none once the map widened one to f32
    /// (an integer product needs int8 weights).</summary>
    private static InputQuantization Kept(InputQuantization quantization, params ReadOnlySpan<PackedMatrix> matrices)
    {
        foreach (PackedMatrix matrix in matrices)
            if (matrix.ElementType != ElementType.Int8) return InputQuantization.None;
        return quantization;
    }

        private static PackedMatrix Copy(PackedMatrix matrix) => matrix.ElementType == ElementType.Int8
        ? new PackedMatrix(matrix.Rows, matrix.Columns, matrix.Quantized.ToArray(), matrix.Scales.ToArray())
        : new PackedMatrix(matrix.Rows, matrix.Columns, matrix.Data.ToArray());
}
