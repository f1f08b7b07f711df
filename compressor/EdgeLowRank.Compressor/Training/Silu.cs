using System.Numerics;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// y = x·σ(x), SiLU or swish (EfficientNet's activation), through the runtime's <see cref="SiluKernel"/>. The slope,
/// σ(x)·(1 + x·(1 − σ(x))), needs the input (y alone does not give x), so the backward pass computes σ again with the runtime's
/// <see cref="SigmoidKernel"/> into the input gradient's array, then multiplies in PyTorch's order (<c>silu_backward</c>:
/// dy·σ·(1 + x(1 − σ))): no scratch.
/// </summary>
public sealed class Silu(string name) : InputSlopeActivation(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => SiluKernel.Run(x, y);

    /// <inheritdoc/>
    protected override void Gradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        SigmoidKernel.Run(x, dx);
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> s = new(dx[i..]);
            (new Vector<float>(dy[i..]) * s * (Vector<float>.One + new Vector<float>(x[i..]) * (Vector<float>.One - s))).CopyTo(dx[i..]);
        }
        for (; i < x.Length; i++) dx[i] = dy[i] * dx[i] * (1f + x[i] * (1f - dx[i]));
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Silu(Name);
}
