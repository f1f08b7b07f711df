namespace EdgeLowRank.Runtime.Layers;

/// <summary>y = max(0, x) over every element; keeps the shape.</summary>
public sealed class ReluLayer : Layer
{
    internal ReluLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Relu;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}

/// <summary>y = min(max(x, 0), 6) over every element, ReLU6 (MobileNet's activation; ONNX's Clip between 0 and 6); keeps
/// the shape (format 1.6).</summary>
public sealed class Relu6Layer : Layer
{
    internal Relu6Layer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Relu6;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}

/// <summary>y = tanh(x) over every element; keeps the shape (format 1.4).</summary>
public sealed class TanhLayer : Layer
{
    internal TanhLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Tanh;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}

/// <summary>y = 1 / (1 + exp(−x)) over every element; keeps the shape (format 1.4).</summary>
public sealed class SigmoidLayer : Layer
{
    internal SigmoidLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Sigmoid;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}

/// <summary>y = x·min(max(x + 3, 0), 6) / 6 over every element (PyTorch's <c>Hardswish</c>, ONNX's <c>HardSwish</c>),
/// MobileNetV3's activation: swish's shape from a ReLU6, with no exponential; keeps the shape (format 1.9).</summary>
public sealed class HardSwishLayer : Layer
{
    internal HardSwishLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.HardSwish;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}

/// <summary>y = x·σ(x) = x / (1 + exp(−x)) over every element (PyTorch's <c>SiLU</c>, which ONNX writes as a Sigmoid and a
/// Mul), EfficientNet's activation; keeps the shape (format 1.9).</summary>
public sealed class SiluLayer : Layer
{
    internal SiluLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Silu;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}

/// <summary>Softmax over a vector: probabilities that sum to 1.</summary>
public sealed class SoftmaxLayer : Layer
{
    internal SoftmaxLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Softmax;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input)
    {
        if (input.Rank != 1) throw new ArgumentException($"Softmax expects a vector but receives {input}; put a Flatten before it.");
        return input;
    }
}

/// <summary>Views any shape as a vector of the same elements (channels-last order); no data moves.</summary>
public sealed class FlattenLayer : Layer
{
    internal FlattenLayer() { }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Flatten;

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => new(input.ElementCount);
}
