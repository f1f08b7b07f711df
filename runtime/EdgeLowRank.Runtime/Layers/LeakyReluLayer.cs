namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// y = x for x ≥ 0, <see cref="Alpha"/>·x below, over every element: the leaky ReLU, which keeps a small slope where ReLU is
/// flat; keeps the shape (format 1.12). The slope is the layer's: PyTorch's <c>LeakyReLU</c> defaults to 0.01, as ONNX's
/// <c>LeakyRelu</c> does, and both take any.
/// </summary>
public sealed class LeakyReluLayer : Layer
{
    /// <summary>PyTorch's and ONNX's default slope, 0.01.</summary>
    internal const float DefaultAlpha = 0.01f;

    /// <summary>Creates the layer.</summary>
    /// <param name="alpha">The slope α below zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    internal LeakyReluLayer(float alpha = DefaultAlpha)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "A leaky ReLU's slope must be a finite number.");
        Alpha = alpha;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.LeakyRelu;

    /// <summary>The slope α below zero.</summary>
    public float Alpha { get; }

    /// <summary>"LeakyRelu α" (round-trip float text, as the file stores it).</summary>
    public override string Label => $"{Kind} {Alpha:R}";

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}
