using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// SiLU (swish), x·σ(x): EfficientNet's activation (format 1.9), <see cref="Vector{T}"/> lanes at a time through
/// <see cref="VectorMap{TFunction}"/> with the sigmoid kernel's σ, so its error is σ's (1.2e-7 absolute) times |x| plus one
/// rounding. <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/> path.
/// </summary>
public static class SiluKernel
{
    /// <summary>y[i] = x[i]·σ(x[i]) for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => VectorMap<Silu>.Run(x, y);

    /// <summary>The same, one element at a time with MathF.Exp.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * (1f / (1f + MathF.Exp(-x[i])));
    }

    private readonly struct Silu : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x) => x * SigmoidKernel.Logistic(x);
    }
}
