using System.Numerics.Tensors;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The stand-alone ReLU (a dense layer fuses its own). TensorPrimitives is already vectorized at the widest width.</summary>
public static class ReluKernel
{
    /// <summary>y[i] = max(0, x[i]) for every element (NaN stays NaN); <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);
}
