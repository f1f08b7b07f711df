namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// Starts a branch: the chain continues from an earlier activation, named by <see cref="Source"/>, instead of this layer's
/// input, which a later <see cref="AddLayer"/> adds back. This is how a shortcut with layers of its own is a chain: ResNet's
/// projection shortcut (a strided 1×1 convolution of the block's input) runs after the block's main path as
/// <c>… conv2, Branch ← j, conv 1×1, Add ← k</c>, where j is the block's input and k the main path's output; any graph whose
/// branches meet in Adds of two tensors is such a chain. Activations are numbered as for <see cref="AddLayer"/>: 0 is the
/// model's input and j the output of layer j − 1. The layer computes nothing; the memory plan keeps the source and hands it
/// to the next layer. The model checks that the source comes before this layer's input and that a later Add reads that
/// input (else the layers that computed it would be dead) (<see cref="Model"/>).
/// </summary>
public sealed class BranchLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="source">The activation the chain continues from: 0 for the model's input, j for the output of layer j − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    internal BranchLayer(int source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Source = source;
    }

    /// <inheritdoc/>
    public override LayerKind Kind => LayerKind.Branch;

    /// <summary>The activation the chain continues from: 0 for the model's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>"Branch ← j", j being <see cref="Source"/>: the layer whose input the chain continues from.</summary>
    public override string Label => $"{Kind} ← {Source}";

    /// <summary>The line reports print under a table that holds Branch layers, to say what <see cref="Label"/> means.</summary>
    internal const string LabelLegend = "Branch ← j: continues from the input of layer j (j = 0: the model's input), a shortcut's own layers follow";

    /// <summary>A Branch's output is the activation it names, not a function of its input: its shape comes from the chain
    /// (<see cref="Layer.GetOutputShape(ReadOnlySpan{TensorShape})"/>).</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override TensorShape GetOutputShape(TensorShape input) =>
        throw new InvalidOperationException($"A Branch's output is activation {Source}, whose shape only the chain knows; call GetOutputShape with the shapes of the activations before it.");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><see cref="Source"/> is not among the activations before this layer's input.</exception>
    public override TensorShape GetOutputShape(ReadOnlySpan<TensorShape> activations)
    {
        int input = activations.Length - 1;
        if (Source >= input)
            throw new ArgumentException($"it continues from activation {Source}, but only activations 0 (the model's input) to {input - 1} come before its own input (activation {input}); a Branch goes back to an earlier activation.");
        return activations[Source];
    }
}
