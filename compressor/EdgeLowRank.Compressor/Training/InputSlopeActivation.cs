using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>An activation whose slope needs the input, not the output alone (the hard swish and SiLU are not one to one):
/// the forward pass is the runtime's kernel, so training computes the values inference will, and the backward pass reads the
/// input the chain keeps.</summary>
public abstract class InputSlopeActivation(string name) : ElementwiseLayer(name)
{
    /// <inheritdoc/>
    protected sealed override TensorShape OutputShape(TensorShape input) => input;

    /// <inheritdoc/>
    public sealed override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        Apply(input.AsSpan(0, batch * Length), output.AsSpan(0, batch * Length));

    /// <inheritdoc/>
    public sealed override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int n = batch * Length;
        Gradient(input.AsSpan(0, n), outputGradient.AsSpan(0, n), inputGradient.AsSpan(0, n));
    }

    /// <summary>y = f(x) element by element.</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>dx = f′(x)·dy element by element; the vector loop and the scalar tail must do the same operations, so an
    /// element's gradient does not depend on where a shard's tail falls.</summary>
    protected abstract void Gradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx);
}
