namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// Joins two paths by stacking their channels: y = [a, x] along the last dimension (channels, in the runtime's
/// channels-last images; the features of a vector), where x is this layer's input and a an earlier activation named by
/// <see cref="Source"/>, of the same shape but for its channel count (ONNX's and TensorFlow Lite's Concat along the
/// channels; SqueezeNet's Fire module, Inception's branches). <see cref="InputFirst"/> puts the input's channels first
/// instead. Activations are numbered as for <see cref="AddLayer"/>: 0 is the model's input and j the output of layer
/// j − 1. A Fire module whose squeeze output is activation j is <c>… expand 1×1 (output k), Branch ← j, expand 3×3,
/// Concat ← k</c>; a join of n paths is n − 1 Concats, each stacking the paths so far and the next one.
/// </summary>
public sealed class ConcatLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="source">The activation joined to the input: 0 for the model's input, j for the output of layer j − 1.</param>
    /// <param name="inputFirst">Whether the input's channels come first (y = [x, a]) rather than the source's (y = [a, x]).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    internal ConcatLayer(int source, bool inputFirst = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Source = source;
        InputFirst = inputFirst;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Concat;

    /// <summary>The activation joined to the input: 0 for the model's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>Whether the input's channels come first (y = [x, a]); by default the source's do (y = [a, x]).</summary>
    public bool InputFirst { get; }

    /// <summary>"Concat ← j", j being <see cref="Source"/>, whose channels come first; "Concat → j" when the input's do.</summary>
    public override string Label => InputFirst ? $"{Kind} → {Source}" : $"{Kind} ← {Source}";

    /// <summary>The line reports print under a table that holds Concat layers, to say what <see cref="Label"/> means.</summary>
    internal const string LabelLegend = "Concat ← j: the input of layer j (j = 0: the model's input) and then this layer's input, channels stacked; Concat → j: this layer's input first";

    /// <summary>A Concat's output has the channels of two activations: its shape comes from the chain
    /// (<see cref="Layer.GetOutputShape(ReadOnlySpan{TensorShape})"/>).</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override TensorShape GetOutputShape(TensorShape input) =>
        throw new InvalidOperationException($"A Concat's output stacks its input and activation {Source}, whose shape only the chain knows; call GetOutputShape with the shapes of the activations before it.");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><see cref="Source"/> is not among the activations before this layer's input, or its
    /// shape differs from the input's in more than the last dimension.</exception>
    public override TensorShape GetOutputShape(ReadOnlySpan<TensorShape> activations)
    {
        int input = activations.Length - 1;
        if (Source >= input)
            throw new ArgumentException($"it joins activation {Source} to its input, but only activations 0 (the model's input) to {input - 1} come before its own input (activation {input}); a Concat joins an earlier activation.");
        TensorShape x = activations[input], a = activations[Source];
        if (x.Rank != a.Rank || !x.Dimensions[..^1].SequenceEqual(a.Dimensions[..^1]))
            throw new ArgumentException($"it joins activation {Source} ({a}) to its input ({x}); a Concat stacks channels, so the two must agree in every dimension but the last.");
        long channels = (long)x.Dimensions[^1] + a.Dimensions[^1];
        if (channels > int.MaxValue)
            throw new ArgumentException($"it joins activation {Source} ({a}) to its input ({x}), which would stack {channels} channels; a dimension holds at most 2^31-1.");
        int[] dims = x.Dimensions.ToArray();
        dims[^1] = (int)channels;
        return new TensorShape(dims);
    }
}
