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
        // Below 6 strictly: the largest float under 6 is the last output the gradient passes.
        Relu.PassWhereInside(output.AsSpan(0, batch * Length), outputGradient.AsSpan(0, batch * Length), inputGradient, MathF.BitDecrement(Cap));
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new Relu6(Name);

}
