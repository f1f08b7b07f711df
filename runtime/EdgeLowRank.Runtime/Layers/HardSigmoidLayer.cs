namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// y = min(max(<see cref="Alpha"/>·x + <see cref="Beta"/>, 0), 1) over every element: the hard sigmoid, a gate in [0, 1]
/// without an exponential; keeps the shape (format 1.9). The slope and offset are the layer's because the frameworks
/// disagree: PyTorch's <c>Hardsigmoid</c> (MobileNetV3's squeeze-and-excitation gate) is α = 1/6, β = 1/2, ONNX's
/// <c>HardSigmoid</c> defaults to α = 0.2, β = 0.5 (Keras' hard_sigmoid) and takes any.
/// </summary>
public sealed class HardSigmoidLayer : Layer
{
    /// <summary>PyTorch's slope, 1/6: the gate rises from 0 at x = −3 to 1 at x = 3.</summary>
    internal const float PyTorchAlpha = 1f / 6;

    /// <summary>PyTorch's offset, 1/2.</summary>
    internal const float PyTorchBeta = 0.5f;

    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The slope α.</param>
    /// <param name="beta">The offset β.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite.</exception>
    internal HardSigmoidLayer(float alpha = PyTorchAlpha, float beta = PyTorchBeta)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "A hard sigmoid's slope must be a finite number.");
        if (!float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "A hard sigmoid's offset must be a finite number.");
        Alpha = alpha;
        Beta = beta;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.HardSigmoid;

    /// <summary>The slope α.</summary>
    public float Alpha { get; }

    /// <summary>The offset β.</summary>
    public float Beta { get; }

    /// <summary>"HardSigmoid α, β" (round-trip float text, as the file stores them).</summary>
    public override string Label => $"{Kind} {Alpha:R}, {Beta:R}";

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}
