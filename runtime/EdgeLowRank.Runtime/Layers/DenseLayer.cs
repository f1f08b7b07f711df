namespace EdgeLowRank.Runtime.Layers;

/// <summary>A fully connected layer: y = act(xW + b), W of size inputs × outputs.</summary>
public sealed class DenseLayer : Layer
{
    /// <summary>Creates the layer; <paramref name="bias"/> may be empty (no bias). <paramref name="inputQuantization"/>
    /// <see cref="InputQuantization.Dynamic"/> needs int8 weights.</summary>
    internal DenseLayer(PackedMatrix weights, ReadOnlyMemory<float> bias, Activation activation = Activation.None,
        InputQuantization inputQuantization = InputQuantization.None)
    {
        ArgumentNullException.ThrowIfNull(weights);
        RequireBias(bias, weights.Columns);
        RequireIntegerWeights(inputQuantization, weights);
        Weights = weights;
        Bias = bias;
        Activation = activation;
        InputQuantization = inputQuantization;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Dense;

    /// <summary>W: inputs × outputs.</summary>
    internal PackedMatrix Weights { get; }

    /// <summary>b: one per output, or empty.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <inheritdoc/>
    internal override IReadOnlyList<PackedMatrix> WeightMatrices => [Weights];

    /// <summary>The fused activation.</summary>
    public override Activation Activation { get; }

    /// <inheritdoc/>
    public override InputQuantization InputQuantization { get; }

    /// <summary>The number of inputs.</summary>
    public int Inputs => Weights.Rows;

    /// <summary>The number of outputs.</summary>
    public int Outputs => Weights.Columns;

    /// <inheritdoc/>
    public override int Rank => Math.Min(Inputs, Outputs);

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        RequireVector(input, Inputs);
        return new TensorShape(Outputs);
    }

    /// <inheritdoc/>
    public override long ParameterCount => (long)Inputs * Outputs + Bias.Length;

    /// <inheritdoc/>
    public override long MultiplyAccumulates(TensorShape input) => (long)Inputs * Outputs;
}
