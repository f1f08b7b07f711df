using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The hard sigmoid, min(max(αx + β, 0), 1): MobileNetV3's squeeze-and-excitation gate (format 1.9), with the slope and
/// offset its layer stores. <see cref="Run"/> maps <see cref="Vector{T}"/> lanes at a time; <see cref="Reference"/> is the
/// scalar oracle and the <see cref="KernelPath.Scalar"/> path. Both multiply, then add (no fused multiply-add, which rounds
/// once instead of twice), so they give the same bits.
/// </summary>
internal static class HardSigmoidKernel
{
    /// <summary>y[i] = min(max(α·x[i] + β, 0), 1) for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y, float alpha, float beta) =>
        VectorMap<Vector<float>, WideLanes, HardSigmoid>.Run(x, y, new HardSigmoid(new Vector<float>(alpha), new Vector<float>(beta)));

    /// <summary>The same, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y, float alpha, float beta)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Min(MathF.Max(alpha * x[i] + beta, 0f), 1f);
    }

    private readonly struct HardSigmoid(Vector<float> alpha, Vector<float> beta) : IVectorFunction<Vector<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x) => Vector.Min(Vector.Max(alpha * x + beta, Vector<float>.Zero), Vector<float>.One);
    }
}
