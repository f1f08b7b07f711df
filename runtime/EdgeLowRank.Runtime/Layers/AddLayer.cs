namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A residual (skip) connection: y = act(x + a), where x is this layer's input and a an earlier activation of the same
/// shape, named by <see cref="Source"/> (ResNet's and MobileNet v2's identity shortcut; ONNX's and TensorFlow Lite's Add of
/// two computed tensors). Activations are numbered along the chain: 0 is the model's input and j is the output of layer
/// j − 1, so the layer at index i reads activation i and may add any activation 0 … i − 1. The model checks the index and
/// the shapes (<see cref="Model"/>); a shortcut that passes through layers of its own (a projection) is not a chain and is
/// not expressible.
/// </summary>
public sealed class AddLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="source">The activation added to the input: 0 for the model's input, j for the output of layer j − 1.</param>
    /// <param name="activation">The fused activation (ResNet applies a ReLU after the sum).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    internal AddLayer(int source, Activation activation = Activation.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Source = source;
        Activation = activation;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Add;

    /// <summary>The activation added to the input: 0 for the model's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>The fused activation.</summary>
    public override Activation Activation { get; }

    /// <summary>"Add ← j", j being <see cref="Source"/>: the layer whose input it adds.</summary>
    public override string Label => $"{Kind} ← {Source}";

    /// <summary>The line reports print under a table that holds Add layers, to say what <see cref="Label"/> means.</summary>
    internal const string LabelLegend = "Add ← j: adds the input of layer j (j = 0: the model's input), a residual connection";

    /// <inheritdoc/>
    public override TensorShape GetOutputShape(TensorShape input) => input;
}
