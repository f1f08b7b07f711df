using System.Numerics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// y = x for x ≥ 0, αx below, the leaky ReLU, through the runtime's <see cref="LeakyReluKernel"/> with the slope its
/// <see cref="LeakyReluLayer"/> stores (PyTorch's default 0.01). The slope is judged on the input, as PyTorch's
/// <c>leaky_relu_backward</c> judges it: 1 for x &gt; 0, α for x ≤ 0 (α at 0 itself); a negative α makes the output's sign no guide.
/// For an imported network (no network of the zoo has one).
/// </summary>
public sealed class LeakyRelu : InputSlopeActivation
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "leakyrelu1".</param>
    /// <param name="alpha">The slope α below zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite (the runtime's check).</exception>
    public LeakyRelu(string name, float alpha = LeakyReluLayer.DefaultAlpha) : base(name) => Alpha = new LeakyReluLayer(alpha).Alpha;

    /// <summary>The slope α below zero.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => LeakyReluKernel.Run(x, y, Alpha);

    /// <inheritdoc/>
    protected override void Gradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0;
        Vector<float> alpha = new(Alpha);
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> v = new(x[i..]), g = new(dy[i..]);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), g, g * alpha).CopyTo(dx[i..]);
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : dy[i] * Alpha;
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new LeakyRelu(Name, Alpha);
}
