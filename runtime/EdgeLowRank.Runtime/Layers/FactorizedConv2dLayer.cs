namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A convolution whose (k·k·c_in) × c_out weight matrix is stored as a rank-r product: a k×k
/// convolution to r channels (<see cref="First"/>, no bias) followed by a 1×1 convolution to c_out
/// channels (<see cref="Second"/>, with the bias and activation). It costs r·(k·k·c_in + c_out)
/// multiply-accumulates per output pixel instead of k·k·c_in·c_out.
/// </summary>
public sealed class FactorizedConv2dLayer : Layer
{
    /// <summary>Creates the layer; the factors must agree on r, and <paramref name="bias"/> may be empty.
    /// <paramref name="inputQuantization"/> <see cref="InputQuantization.Dynamic"/> needs both factors int8, and quantizes
    /// each image with one scale, the r-channel intermediate image too.</summary>
    internal FactorizedConv2dLayer(PackedMatrix first, PackedMatrix second, ReadOnlyMemory<float> bias, int inputChannels,
        ConvolutionGeometry geometry, Activation activation, FactorizationMethod method, InputQuantization inputQuantization = InputQuantization.None)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ConvolutionShapes.RequirePatchRows(geometry, inputChannels, first.Rows, "rows in its first factor");
        if (first.Columns != second.Rows)
            throw new ArgumentException($"The factors disagree on the rank: the first is {first.Rows}×{first.Columns}, the second {second.Rows}×{second.Columns}.");
        RequireBias(bias, second.Columns);
        RequireIntegerWeights(inputQuantization, first, second);
        InputQuantization = inputQuantization;
        First = first;
        Second = second;
        Bias = bias;
        InputChannels = inputChannels;
        Geometry = geometry;
        Activation = activation;
        Method = method;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.FactorizedConv2d;

    /// <summary>The k×k convolution to r channels: (k·k·c_in) × r.</summary>
    internal PackedMatrix First { get; }

    /// <summary>The 1×1 convolution: r × c_out.</summary>
    internal PackedMatrix Second { get; }

    /// <summary>One per output channel, or empty.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <inheritdoc/>
    internal override IReadOnlyList<PackedMatrix> WeightMatrices => [First, Second];

    /// <summary>c_in.</summary>
    public int InputChannels { get; }

    /// <summary>c_out.</summary>
    public int OutputChannels => Second.Columns;

    /// <summary>Kernel, stride and padding of the first factor.</summary>
    public ConvolutionGeometry Geometry { get; }

    /// <summary>The fused activation, applied after the second factor.</summary>
    public override Activation Activation { get; }

    /// <inheritdoc/>
    public override FactorizationMethod Method { get; }

    /// <inheritdoc/>
    public override InputQuantization InputQuantization { get; }

    /// <inheritdoc/>
    public override int Rank => First.Columns;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) =>
        ConvolutionShapes.ConvolutionOutput(Kind, input, InputChannels, Geometry, OutputChannels);

    /// <inheritdoc/>
    public override long ParameterCount => (long)Rank * (First.Rows + Second.Columns) + Bias.Length;

    /// <inheritdoc/>
    public override long MultiplyAccumulates(TensorShape input) =>
        ConvolutionShapes.Pixels(GetOutputShape(input)) * Rank * (First.Rows + Second.Columns);

    /// <inheritdoc/>
    internal override long DenseEquivalentParameterCount => (long)First.Rows * Second.Columns + Bias.Length;

    /// <inheritdoc/>
    internal override long DenseEquivalentMultiplyAccumulates(TensorShape input) =>
        ConvolutionShapes.Pixels(GetOutputShape(input)) * First.Rows * Second.Columns;
}
