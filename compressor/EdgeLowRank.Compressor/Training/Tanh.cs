using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Compressor.Training;

/// <summary>y = tanh(x) through the runtime's <see cref="TanhKernel"/>; the slope is 1 − y².</summary>
public sealed class Tanh(string name) : SmoothActivation(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TanhKernel.Run(x, y);

    /// <inheritdoc/>
    protected override void Slope(ReadOnlySpan<float> y, Span<float> slope)
    {
        TensorPrimitives.Multiply(y, y, slope);
        TensorPrimitives.Subtract(1f, slope, slope);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Tanh(Name);
}
