using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// y = min(max(αx + β, 0), 1), the hard sigmoid (MobileNetV3's squeeze-and-excitation gate), through the runtime's
/// <see cref="HardSigmoidKernel"/> with the slope and offset its <see cref="HardSigmoidLayer"/> stores; PyTorch's is α = 1/6,
/// β = 1/2 (the default). The gradient is α where 0 &lt; y &lt; 1, strictly, and 0 where the clamp holds (PyTorch's
/// <c>hardsigmoid_backward</c> passes it for −3 &lt; x &lt; 3 only): judged on the output, which is αx + β itself inside.
/// </summary>
public sealed class HardSigmoid : ElementwiseLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "hsigmoid1".</param>
    /// <param name="alpha">The slope α.</param>
    /// <param name="beta">The offset β.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite (the runtime's check).</exception>
    public HardSigmoid(string name, float alpha = HardSigmoidLayer.PyTorchAlpha, float beta = HardSigmoidLayer.PyTorchBeta) : base(name)
    {
        var description = new HardSigmoidLayer(alpha, beta);
        Alpha = description.Alpha;
        Beta = description.Beta;
    }

    /// <summary>The slope α.</summary>
    public float Alpha { get; }

    /// <summary>The offset β.</summary>
    public float Beta { get; }

    /// <inheritdoc/>
    protected override TensorShape OutputShape(TensorShape input) => input;

    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) =>
        HardSigmoidKernel.Run(input.AsSpan(0, batch * Length), output.AsSpan(0, batch * Length), Alpha, Beta);

    /// <inheritdoc/>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int n = batch * Length;
        // Below 1 strictly: the largest float under 1 is the last output the gradient passes.
        Relu.PassWhereInside(output.AsSpan(0, n), outputGradient.AsSpan(0, n), inputGradient, MathF.BitDecrement(1f));
        TensorPrimitives.Multiply(inputGradient.AsSpan(0, n), Alpha, inputGradient.AsSpan(0, n));
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new HardSigmoid(Name, Alpha, Beta);
}
