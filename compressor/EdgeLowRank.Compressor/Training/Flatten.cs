using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>Views an image as a vector in channels-last order (the runtime's Flatten); values are copied unchanged.</summary>
public sealed class Flatten(string name) : ElementwiseLayer(name)
{
    /// <inheritdoc/>
    protected override TensorShape OutputShape(TensorShape input) => new(input.ElementCount);

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        input.AsSpan(0, batch * Length).CopyTo(output);

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is not null) outputGradient.AsSpan(0, batch * Length).CopyTo(inputGradient);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Flatten(Name);
}
