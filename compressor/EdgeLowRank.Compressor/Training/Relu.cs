using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>y = max(0, x); the gradient passes where the output is positive.</summary>
public sealed class Relu(string name) : ElementwiseLayer(name)
{
    /// <inheritdoc/>
    protected override TensorShape OutputShape(TensorShape input) => input;

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        TensorPrimitives.Max(input.AsSpan(0, batch * Length), 0f, output.AsSpan(0, batch * Length));

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        PassWherePositive(output.AsSpan(0, batch * Length), outputGradient.AsSpan(0, batch * Length), inputGradient);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Relu(Name);

    /// <summary>result[i] = output[i] &gt; 0 ? gradient[i] : 0, a vector at a time.</summary>
    internal static void PassWherePositive(ReadOnlySpan<float> output, ReadOnlySpan<float> gradient, Span<float> result) =>
        PassWhereInside(output, gradient, result, float.PositiveInfinity);

    /// <summary>result[i] = 0 &lt; output[i] ≤ <paramref name="upper"/> ? gradient[i] : 0, a vector at a time: the gradient of a
    /// clamp judged on its output (a NaN passes nothing).</summary>
    internal static void PassWhereInside(ReadOnlySpan<float> output, ReadOnlySpan<float> gradient, Span<float> result, float upper)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float o = ref MemoryMarshal.GetReference(output);
            ref float g = ref MemoryMarshal.GetReference(gradient);
            ref float r = ref MemoryMarshal.GetReference(result);
            var top = Vector256.Create(upper);
            for (; i <= output.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> y = Vector256.LoadUnsafe(ref o, (nuint)i);
                Vector256<float> inside = Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256.LessThanOrEqual(y, top);
                (inside & Vector256.LoadUnsafe(ref g, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
            }
        }
        for (; i < output.Length; i++) result[i] = output[i] > 0f && output[i] <= upper ? gradient[i] : 0f;
    }
}
