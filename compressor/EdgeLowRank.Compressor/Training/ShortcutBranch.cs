using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Starts a shortcut's own path (ResNet's projection): the chain continues from the earlier activation <see cref="Source"/>
/// instead of this layer's input, which a later <see cref="ResidualAdd"/> adds back, as the runtime's <see cref="BranchLayer"/>
/// does. A downsampling block with input at activation j is <c>conv 3×3 stride 2, ReLU, conv 3×3 → activation k,
/// ShortcutBranch ← j, conv 1×1 stride 2, ResidualAdd ← k</c>. Activations are numbered as for <see cref="ResidualAdd"/>: 0 is
/// the network's input and j the output of layer j − 1.
/// <para>The layer computes nothing: the <see cref="Network"/>'s chain makes its output the source's array itself. In the
/// backward pass it sends no gradient to its input (that comes only from the Add that reads it) and adds its output gradient
/// into the source's gradient sum, as a skip does; the chain does both, since only it holds the activations.</para>
/// </summary>
public sealed class ShortcutBranch : TrainingLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "branch1".</param>
    /// <param name="source">The activation the chain continues from: 0 for the network's input, j for the output of layer
    /// j − 1; it must come before the layer's own input, which <see cref="Bind(ReadOnlySpan{TensorShape}, int)"/> checks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    public ShortcutBranch(string name, int source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Name = name;
        Source = source;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The activation the chain continues from: 0 for the network's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>Returns the shape of activation <see cref="Source"/>, which is this layer's output.</summary>
    /// <exception cref="ArgumentException"><see cref="Source"/> is not among the activations before this layer's input.</exception>
    public override TensorShape Bind(ReadOnlySpan<TensorShape> activations, int maxBatch)
    {
        int input = activations.Length - 1;
        if (Source >= input)
            throw new ArgumentException($"it continues from activation {Source}, but only activations 0 (the network's input) to {input - 1} come before "
                + $"its own input (activation {input}); a branch goes back to an earlier activation.");
        return activations[Source];
    }

    /// <summary>Not callable: the output is activation <see cref="Source"/>, whose shape only the chain knows.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override TensorShape Bind(TensorShape input, int maxBatch) =>
        throw new InvalidOperationException($"{Name}'s output is activation {Source}, whose shape only the chain knows; bind it with the shapes of the activations before it.");

    /// <summary>Not callable: the output is activation <see cref="Source"/>, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) => throw NeedsNetwork();

    /// <summary>Not callable: the output gradient goes into activation <see cref="Source"/>'s, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads) =>
        throw NeedsNetwork();

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ShortcutBranch(Name, Source);

    private InvalidOperationException NeedsNetwork() =>
        new($"{Name} continues the chain from activation {Source}; run it through a Network, which holds every activation.");
}
