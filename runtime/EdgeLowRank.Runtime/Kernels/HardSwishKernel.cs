using System.Numerics;
using System.Runtime.CompilerServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The hard swish, x·min(max(x + 3, 0), 6) / 6: MobileNetV3's activation (format 1.9). <see cref="Run"/> maps
/// <see cref="Vector{T}"/> lanes at a time; <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/>
/// path. Both add, clamp, multiply and divide in PyTorch's order with no fused step, so they give the same bits as each other
/// and as PyTorch's CPU kernel (a multiplication by 1/6 instead of the division would differ in the last place).
/// </summary>
public static class HardSwishKernel
{
    /// <summary>y[i] = x[i]·min(max(x[i] + 3, 0), 6) / 6 for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => VectorMap<HardSwish>.Run(x, y);

    /// <summary>The same, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * MathF.Min(MathF.Max(x[i] + 3f, 0f), 6f) / 6f;
    }

    private readonly struct HardSwish : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x)
        {
            var six = new Vector<float>(6f);
            return x * Vector.Min(Vector.Max(x + new Vector<float>(3f), Vector<float>.Zero), six) / six;
        }
    }
}
