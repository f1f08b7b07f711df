using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The hard swish, x·min(max(x + 3, 0), 6) / 6: MobileNetV3's activation (format 1.9). <see cref="Run"/> maps
/// <see cref="Vector{T}"/> lanes at a time; <see cref="Reference"/> is the scalar oracle and the <see cref="KernelPath.Scalar"/>
/// path. Both add, clamp, multiply and divide in PyTorch's order with no fused step, so they give the same bits as each other
/// and as PyTorch's CPU kernel (a multiplication by 1/6 instead of the division would differ in the last place). The
/// <c>Of</c> overloads are the formula at every width, for the stores that fuse it into a convolution (<see cref="FusedActivation"/>),
/// so a fused hard swish gives the bits of this layer.
/// </summary>
internal static class HardSwishKernel
{
    /// <summary>y[i] = x[i]·min(max(x[i] + 3, 0), 6) / 6 for every element; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> is shorter than <paramref name="x"/>.</exception>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => VectorMap<Vector<float>, WideLanes, HardSwish>.Run(x, y);

    /// <summary>The same, one element at a time.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Of(x[i]);
    }

    /// <summary>The hard swish of one value: the scalar oracle's formula.</summary>
    internal static float Of(float x) => x * MathF.Min(MathF.Max(x + 3f, 0f), 6f) / 6f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Of(Vector<float> x)
    {
        var six = new Vector<float>(6f);
        return x * Vector.Min(Vector.Max(x + new Vector<float>(3f), Vector<float>.Zero), six) / six;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Of(Vector128<float> x)
    {
        var six = Vector128.Create(6f);
        return x * Vector128.Min(Vector128.Max(x + Vector128.Create(3f), Vector128<float>.Zero), six) / six;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Of(Vector256<float> x)
    {
        var six = Vector256.Create(6f);
        return x * Vector256.Min(Vector256.Max(x + Vector256.Create(3f), Vector256<float>.Zero), six) / six;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Of(Vector512<float> x)
    {
        var six = Vector512.Create(6f);
        return x * Vector512.Min(Vector512.Max(x + Vector512.Create(3f), Vector512<float>.Zero), six) / six;
    }

    private readonly struct HardSwish : IVectorFunction<Vector<float>>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Apply(Vector<float> x) => Of(x);
    }
}
