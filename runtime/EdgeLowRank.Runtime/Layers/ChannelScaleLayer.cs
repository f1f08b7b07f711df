namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// Squeeze-and-excitation's scaling: y = a ⊙ x, where a is an earlier activation named by <see cref="Source"/> (an image
/// h×w×c, channels-last, or a vector of c) and x, this layer's input, holds one value per channel of a (a vector of c, or a
/// 1×1×c image): every pixel's channel k is multiplied by x[k], and the output has a's shape (ONNX's Mul of an
/// N×C×H×W tensor by an N×C×1×1 gate; TensorFlow Lite's Mul with broadcasting). Activations are numbered as for
/// <see cref="AddLayer"/>: 0 is the model's input and j the output of layer j − 1. MobileNetV3's block whose expanded
/// activation is j is the chain <c>… AvgPool2d over the image, Conv2d 1×1 (+ReLU), Conv2d 1×1, HardSigmoid,
/// ChannelScale ← j</c>: the gate's path starts from the chain's own tensor, so it needs no Branch.
/// </summary>
public sealed class ChannelScaleLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="source">The activation scaled: 0 for the model's input, j for the output of layer j − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    internal ChannelScaleLayer(int source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Source = source;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.ChannelScale;

    /// <summary>The activation scaled: 0 for the model's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>"ChannelScale ← j", j being <see cref="Source"/>.</summary>
    public override string Label => $"{Kind} ← {Source}";

    /// <summary>The line reports print under a table that holds ChannelScale layers, to say what <see cref="Label"/> means.</summary>
    internal const string LabelLegend = "ChannelScale ← j: the input of layer j (j = 0: the model's input), each channel times this layer's input's value for it (squeeze-and-excitation)";

    /// <summary>A ChannelScale's output has the shape of the activation it scales: its shape comes from the chain
    /// (<see cref="Layer.GetOutputShape(ReadOnlySpan{TensorShape})"/>).</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override TensorShape GetOutputShape(TensorShape input) =>
        throw new InvalidOperationException($"A ChannelScale's output has the shape of activation {Source}, which only the chain knows; call GetOutputShape with the shapes of the activations before it.");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><see cref="Source"/> is not among the activations before this layer's input, or
    /// the input is not one value per channel of it.</exception>
    public override TensorShape GetOutputShape(ReadOnlySpan<TensorShape> activations)
    {
        int input = activations.Length - 1;
        if (Source >= input)
            throw new ArgumentException($"it scales activation {Source}, but only activations 0 (the model's input) to {input - 1} come before its own input (activation {input}); a ChannelScale scales an earlier activation.");
        TensorShape x = activations[input], a = activations[Source];
        int channels = a.Dimensions[^1];
        bool onePerChannel = x.Dimensions[^1] == channels && x.ElementCount == channels;
        if (!onePerChannel)
            throw new ArgumentException($"it scales activation {Source} ({a}) by its input ({x}); the input must hold one value per channel of it: a vector of {channels} or a 1×1×{channels} image (a global average pooling's output, or the dense layers after it).");
        return a;
    }
}
