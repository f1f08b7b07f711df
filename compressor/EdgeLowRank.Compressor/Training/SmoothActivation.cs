using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>An activation whose slope follows from its output alone (tanh, sigmoid): the forward pass is the runtime's
/// kernel, so training computes the values inference will, and the backward pass multiplies the output gradient by the
/// slope, with no input kept.</summary>
public abstract class SmoothActivation(string name) : ElementwiseLayer(name)
{
    /// <inheritdoc/>
    protected sealed override TensorShape OutputShape(TensorShape input) => input;

    /// <inheritdoc/>
    public sealed override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        Apply(input.AsSpan(0, batch * Length), output);

    /// <inheritdoc/>
    public sealed override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        Span<float> result = inputGradient.AsSpan(0, batch * Length);
        Slope(output.AsSpan(0, batch * Length), result);
        TensorPrimitives.Multiply(result, outputGradient.AsSpan(0, batch * Length), result);
    }

    /// <summary>y = f(x) element by element.</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>f′(x) element by element, from y = f(x).</summary>
    protected abstract void Slope(ReadOnlySpan<float> y, Span<float> slope);
}
