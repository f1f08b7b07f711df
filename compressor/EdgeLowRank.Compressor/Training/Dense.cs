using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A fully connected layer y = x·Wᵀ + b. <see cref="WeightedLayer.Weight"/> is outputs × inputs
/// (output-major, as PyTorch stores nn.Linear): the m×n matrix the compression step factorizes,
/// m = outputs. Without a bias it is the first factor of a factorized dense layer.
/// </summary>
public sealed class Dense : WeightedLayer
{
    /// <summary>Creates the layer with zero parameters (a <see cref="Network"/> initializes them).</summary>
    public Dense(string name, int inputs, int outputs, bool hasBias = true)
        : base(name, inputs, outputs, hasBias)
    {
    }

    private Dense(Dense primary)
        : base(primary)
    {
    }

    /// <summary>The number of inputs.</summary>
    public int Inputs => FanIn;

    /// <summary>The number of outputs.</summary>
    public int Outputs => Weight.Rows;

    /// <inheritdoc/>
    public override TensorShape Bind(TensorShape input, int maxBatch)
    {
        if (input.Rank != 1 || input[0] != Inputs)
            throw new ArgumentException($"{Name} expects a vector of {Inputs} values but receives {input}; put a Flatten before it.");
        Products.Reserve(maxBatch);
        return new TensorShape(Outputs);
    }

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        Products.Forward(input, batch, Weight.Value, Bias?.Value, output, threads);

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        ParameterGradients(input, outputGradient, batch, threads);
        if (inputGradient is not null) Products.InputGradient(outputGradient, batch, Weight.Value, inputGradient, threads);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Dense(this);
}
