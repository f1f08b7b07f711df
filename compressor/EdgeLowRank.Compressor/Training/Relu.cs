using System.Numerics.Tensors;
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
        int count = batch * Length;
        for (int i = 0; i < count; i++)
            inputGradient[i] = output[i] > 0f ? outputGradient[i] : 0f;
    }
}
