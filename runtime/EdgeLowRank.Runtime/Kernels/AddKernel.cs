using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The residual Add, y = x + a, with an optional ReLU fused into the store. <see cref="Run"/> adds
/// <see cref="Vector{T}"/> lanes at a time and finishes the tail one element at a time, which gives the same bits: a
/// single addition and a max round the same way in every lane and in scalar code. <see cref="Reference"/> is the scalar
/// oracle and the <see cref="KernelPath.Scalar"/> path.</summary>
internal static class AddKernel
{
    /// <summary>y[i] = act(x[i] + a[i]) over equal-length spans; <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Run(ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, bool relu)
    {
        CheckLengths(x, a, y);
        ref float left = ref MemoryMarshal.GetReference(x);
        ref float right = ref MemoryMarshal.GetReference(a);
        ref float target = ref MemoryMarshal.GetReference(y);
        int lanes = Vector<float>.Count, i = 0;
        if (relu)
        {
            for (; i <= x.Length - lanes; i += lanes)
                Vector.Max(Vector.LoadUnsafe(ref left, (nuint)i) + Vector.LoadUnsafe(ref right, (nuint)i), Vector<float>.Zero)
                    .StoreUnsafe(ref target, (nuint)i);
        }
        else
        {
            for (; i <= x.Length - lanes; i += lanes)
                (Vector.LoadUnsafe(ref left, (nuint)i) + Vector.LoadUnsafe(ref right, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }
        Reference(x[i..], a[i..], y[i..], relu);
    }

    /// <summary>The same, one element at a time (MathF.Max, like Vector.Max, keeps a NaN and makes max(−0, 0) +0).</summary>
    internal static void Reference(ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y, bool relu)
    {
        CheckLengths(x, a, y);
        for (int i = 0; i < x.Length; i++)
        {
            float sum = x[i] + a[i];
            y[i] = relu ? MathF.Max(sum, 0f) : sum;
        }
    }

    private static void CheckLengths(ReadOnlySpan<float> x, ReadOnlySpan<float> a, Span<float> y)
    {
        if (a.Length != x.Length || y.Length != x.Length)
            throw new ArgumentException($"An Add takes equal lengths: x has {x.Length} floats, a {a.Length}, y {y.Length}.");
    }
}
