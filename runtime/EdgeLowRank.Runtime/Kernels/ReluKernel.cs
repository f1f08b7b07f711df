using System.Numerics.Tensors;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The stand-alone ReLU (a dense layer fuses its own). <see cref="Run"/> is vectorized by
/// TensorPrimitives at the widest width; <see cref="Reference"/> is the scalar oracle and the
/// <see cref="KernelPath.Scalar"/> path.</summary>
internal static class ReluKernel
{
    /// <summary>y[i] = max(0, x[i]) for every element (NaN stays NaN); <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>The same, one element at a time. MathF.Max follows IEEE 754-2019 as TensorPrimitives does:
    /// NaN propagates and max(−0, 0) is +0, so both paths agree bit for bit.</summary>
    internal static void Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Max(x[i], 0f);
    }
}
