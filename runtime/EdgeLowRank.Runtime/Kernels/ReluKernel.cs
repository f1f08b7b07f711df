using System.Numerics.Tensors;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The stand-alone ReLU (a dense layer fuses its own). TensorPrimitives is already vectorized at the widest width.</summary>
public static class ReluKernel
{
    /// <summary>values[i] = max(0, values[i]) for every element (NaN stays NaN).</summary>
    public static void RunInPlace(Span<float> values) => TensorPrimitives.Max(values, 0f, values);
}
