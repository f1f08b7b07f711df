using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>y = tanh(x), through the runtime's <see cref="TanhKernel"/>, so training and inference compute the same
/// values; the gradient is (1 − y²)·dy, from the output alone.</summary>
public sealed class Tanh(string name) : ElementwiseLayer(name)
{
    /// <inheritdoc/>
    protected override TensorShape OutputShape(TensorShape input) => input;

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        TanhKernel.Run(input.AsSpan(0, batch * Length), output);

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        Span<float> result = inputGradient.AsSpan(0, batch * Length);
        ReadOnlySpan<float> y = output.AsSpan(0, batch * Length);
        TensorPrimitives.Multiply(y, y, result);
        TensorPrimitives.Subtract(1f, result, result);
        TensorPrimitives.Multiply(result, outputGradient.AsSpan(0, batch * Length), result);
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Tanh(Name);
}
