using System.Numerics;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// y = x·min(max(x + 3, 0), 6) / 6, the hard swish (MobileNetV3's activation), through the runtime's <see cref="HardSwishKernel"/>
/// so a trained network computes what its exported model does. Its slope is judged on the input, as PyTorch's CPU kernel judges
/// it (<c>hardswish_backward</c>'s vector path, which every float32 element but a short tail takes): 0 for x &lt; −3, 1 for
/// x ≥ 3, and x/3 + 1/2 = (2x + 3)/6 for −3 ≤ x &lt; 3, so −1/2 at x = −3 itself. PyTorch is not of one mind at the kinks (its
/// scalar tail gives 3/2 at x = 3, its CUDA kernel 0 at x = −3); the vector path's is the one a trained network meets.
/// </summary>
public sealed class HardSwish(string name) : InputSlopeActivation(name)
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => HardSwishKernel.Run(x, y);

    /// <inheritdoc/>
    protected override void Gradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        Vector<float> three = new(3f), negativeThree = new(-3f), half = new(0.5f);
        // PyTorch's operations: a division, an addition, a product (no fused step).
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> v = new(x[i..]), g = new(dy[i..]);
            Vector<float> slope = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, three), g, g * (v / three + half));
            Vector.ConditionalSelect(Vector.LessThan(v, negativeThree), Vector<float>.Zero, slope).CopyTo(dx[i..]);
        }
        for (; i < x.Length; i++) dx[i] = x[i] < -3f ? 0f : x[i] >= 3f ? dy[i] : dy[i] * (x[i] / 3f + 0.5f);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new HardSwish(Name);
}
