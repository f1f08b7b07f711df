namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A 2-D convolution over a channels-last image, computed as a GEMM over the image's windows.
/// The weights are a (k·k·c_in) × c_out matrix whose row index is (ky·k + kx)·c_in + ci, the order in
/// which a channels-last window lies in the image, so the GEMM reads each window as k contiguous runs
/// where it lies (inference) or as one row of a patch matrix (training, <see cref="Kernels.Im2Col"/>).
/// </summary>
public sealed class Conv2dLayer : Layer
{
    /// <summary>Creates the layer; <paramref name="bias"/> may be empty. <paramref name="inputQuantization"/>
    /// <see cref="InputQuantization.Dynamic"/> needs int8 weights, and quantizes each image with one scale.</summary>
    internal Conv2dLayer(PackedMatrix weights, ReadOnlyMemory<float> bias, int inputChannels, ConvolutionGeometry geometry,
        Activation activation = Activation.None, InputQuantization inputQuantization = InputQuantization.None)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ConvolutionShapes.RequirePatchRows(geometry, inputChannels, weights.Rows, "weight rows");
        RequireBias(bias, weights.Columns);
        RequireIntegerWeights(inputQuantization, weights);
        InputQuantization = inputQuantization;
        Weights = weights;
        Bias = bias;
        InputChannels = inputChannels;
        Geometry = geometry;
        Activation = activation;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Conv2d;

    /// <summary>(k·k·c_in) × c_out.</summary>
    internal PackedMatrix Weights { get; }

    /// <summary>One per output channel, or empty.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <inheritdoc/>
    internal override IReadOnlyList<PackedMatrix> WeightMatrices => [Weights];

    /// <summary>c_in.</summary>
    public int InputChannels { get; }

    /// <summary>c_out.</summary>
    public int OutputChannels => Weights.Columns;

    /// <summary>Kernel, stride and padding.</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <summary>The fused activation.</summary>
    public override Activation Activation { get; }

    /// <inheritdoc/>
    public override InputQuantization InputQuantization { get; }

    /// <inheritdoc/>
    public override int Rank => Math.Min(Weights.Rows, Weights.Columns);

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) =>
        ConvolutionShapes.ConvolutionOutput(Kind, input, InputChannels, Geometry, OutputChannels);

    /// <inheritdoc/>
    public override long ParameterCount => (long)Weights.Rows * Weights.Columns + Bias.Length;

    /// <inheritdoc/>
    public override long MultiplyAccumulates(TensorShape input) =>
        ConvolutionShapes.Pixels(GetOutputShape(input)) * Weights.Rows * Weights.Columns;
}
