using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Compressor.Training;

/// <summary>y = 1 / (1 + exp(−x)) through the runtime's <see cref="SigmoidKernel"/>; the slope is y·(1 − y).</summary>
public sealed class Sigmoid(string name) : SmoothActivation(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => SigmoidKernel.Run(x, y);

    /// <inheritdoc/>
    protected override void Slope(ReadOnlySpan<float> y, Span<float> slope)
    {
        TensorPrimitives.Subtract(1f, y, slope);
        TensorPrimitives.Multiply(slope, y, slope);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Sigmoid(Name);
}
