namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A fully connected layer whose weight matrix is stored as a rank-r product:
/// y = act((xA)B + b), A of size inputs × r and B of size r × outputs. It costs r·(inputs + outputs)
/// multiply-accumulates instead of inputs·outputs.
/// </summary>
public sealed class FactorizedDenseLayer : Layer
{
    /// <summary>Creates the layer; the factors must agree on r, and <paramref name="bias"/> may be empty.
    /// <paramref name="inputQuantization"/> <see cref="InputQuantization.Dynamic"/> needs both factors int8, and quantizes
    /// the rank-r intermediate too.</summary>
    internal FactorizedDenseLayer(PackedMatrix first, PackedMatrix second, ReadOnlyMemory<float> bias,
        Activation activation, FactorizationMethod method, InputQuantization inputQuantization = InputQuantization.None)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Columns != second.Rows)
            throw new ArgumentException($"The factors disagree on the rank: A is {first.Rows}×{first.Columns}, B is {second.Rows}×{second.Columns}.");
        RequireBias(bias, second.Columns);
        RequireIntegerWeights(inputQuantization, first, second);
        InputQuantization = inputQuantization;
        First = first;
        Second = second;
        Bias = bias;
        Activation = activation;
        Method = method;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.FactorizedDense;

    /// <summary>A: inputs × r.</summary>
    internal PackedMatrix First { get; }

    /// <summary>B: r × outputs.</summary>
    internal PackedMatrix Second { get; }

    /// <summary>b: one per output, or empty.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <inheritdoc/>
    internal override IReadOnlyList<PackedMatrix> WeightMatrices => [First, Second];

    /// <summary>The fused activation, applied after the second factor.</summary>
    public override Activation Activation { get; }

    /// <inheritdoc/>
    public override FactorizationMethod Method { get; }

    /// <inheritdoc/>
    public override InputQuantization InputQuantization { get; }

    /// <summary>The number of inputs.</summary>
    public int Inputs => First.Rows;

    /// <summary>The number of outputs.</summary>
    public int Outputs => Second.Columns;

    /// <inheritdoc/>
    public override int Rank => First.Columns;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        RequireVector(input, Inputs);
        return new TensorShape(Outputs);
    }

    /// <inheritdoc/>
    public override long ParameterCount => (long)Rank * (Inputs + Outputs) + Bias.Length;

    /// <inheritdoc/>
    public override long MultiplyAccumulates(TensorShape input) => (long)Rank * (Inputs + Outputs);

    /// <inheritdoc/>
    internal override long DenseEquivalentParameterCount => (long)Inputs * Outputs + Bias.Length;

    /// <inheritdoc/>
    internal override long DenseEquivalentMultiplyAccumulates(TensorShape input) => (long)Inputs * Outputs;
}
