using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>y = min(max(x, 0), 6), ReLU6 (MobileNet v2's activation), through the runtime's <see cref="Relu6Kernel"/> so a
/// trained network computes what its exported model does. The gradient passes where 0 &lt; y &lt; 6, strictly: at the kinks
/// x = 0 and x = 6 it is 0, as <see cref="Relu"/> passes none at x = 0 (PyTorch's ReLU6 takes the same subgradient). No
/// runtime layer fuses a ReLU6: it is always a layer of its own.</summary>
public sealed class Relu6(string name) : ElementwiseLayer(name)
{
    private const float Cap = 6f;

    /// <inheritdoc/>
    protected override TensorShape OutputShape(TensorShape input) => input;

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        Relu6Kernel.Run(input.AsSpan(0, batch * Length), output.AsSpan(0, batch * Length));

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        PassBetweenKinks(output.AsSpan(0, batch * Length), outputGradient.AsSpan(0, batch * Length), inputGradient);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Relu6(Name);

    /// <summary>result[i] = 0 &lt; output[i] &lt; 6 ? gradient[i] : 0, a vector at a time.</summary>
    private static void PassBetweenKinks(ReadOnlySpan<float> output, ReadOnlySpan<float> gradient, Span<float> result)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float o = ref MemoryMarshal.GetReference(output);
            ref float g = ref MemoryMarshal.GetReference(gradient);
            ref float r = ref MemoryMarshal.GetReference(result);
            var cap = Vector256.Create(Cap);
            for (; i <= output.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> y = Vector256.LoadUnsafe(ref o, (nuint)i);
                Vector256<float> inside = Vector256.GreaterThan(y, Vector256<float>.Zero) & Vector256.LessThan(y, cap);
                (inside & Vector256.LoadUnsafe(ref g, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
            }
        }
        for (; i < output.Length; i++) result[i] = output[i] > 0f && output[i] < Cap ? gradient[i] : 0f;
    }
}
