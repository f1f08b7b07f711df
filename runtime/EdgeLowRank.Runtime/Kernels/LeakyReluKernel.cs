using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The leaky ReLU, x for x ≥ 0 and αx below (format 1.12), with the slope its layer stores. <see cref="Run"/> maps
/// <see cref="Vector{T}"/> lanes at a time; <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/>
/// path. Both compare with zero and multiply only below it, so they give the same bits: −0 stays −0 (−0 ≥ 0), and NaN fails
/// the comparison and stays NaN (α·NaN).
/// </summary>
internal static class LeakyReluKernel
{
    /// <summary>y[i] = x[i] ≥ 0 ? x[i] : α·x[i] for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y, float alpha) =>
        VectorMap<Vector<float>, WideLanes, LeakyRelu>.Run(x, y, new LeakyRelu(alpha));

    /// <summary>The same, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        if (y.Length < x.Length) throw new ArgumentException($"Y holds {y.Length} floats; X has {x.Length}.", nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = x[i] >= 0f ? x[i] : alpha * x[i];
    }

    // The slope as a float, broadcast in Apply: held as a Vector<float> field, the JIT kept that one-vector struct in memory
    // and stored and reloaded it every iteration, a loop-carried store-to-load that took 1,246 ns where this takes 192 ns
    // (one image's 4,704 values, x64 JIT, ActivationBenchmarks; HardSigmoid's two-vector struct did not suffer it).
    private readonly struct LeakyRelu(float alpha) : IVectorFunction<Vector<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x) => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, new Vector<float>(alpha) * x);
    }
}
