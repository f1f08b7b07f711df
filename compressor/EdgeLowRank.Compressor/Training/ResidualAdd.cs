using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A residual (skip) connection: y = x + a, or max(0, x + a) with the ReLU fused (as ResNet applies it after the sum), where x
/// is the layer's input and a the earlier activation <see cref="Source"/> of the same shape. Activations are numbered as the
/// runtime's <see cref="AddLayer"/> numbers them: 0 is the network's input and j the output of layer j − 1.
/// <para>The layer reads two activations, so only a <see cref="Network"/> (or a shard of its step), which holds them all, runs it,
/// through the overloads that take the source. Its backward pass sends the output gradient (through the ReLU's mask when fused)
/// both to its input and into the source's gradient, which the network adds up over every layer that reads that activation.</para>
/// </summary>
public sealed class ResidualAdd : ElementwiseLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "add1".</param>
    /// <param name="source">The activation added to the input: 0 for the network's input, j for the output of layer j − 1; it
    /// must come before the layer's own input, which binding the network checks.</param>
    /// <param name="fusedRelu">Whether a ReLU follows the sum inside this layer.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    public ResidualAdd(string name, int source, bool fusedRelu = false) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Source = source;
        FusedRelu = fusedRelu;
    }

    /// <summary>The activation added to the input: 0 for the network's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>Whether the layer applies a ReLU to the sum.</summary>
    public bool FusedRelu { get; }

    /// <inheritdoc/>
    protected override TensorShape OutputShape(TensorShape input) => input;

    /// <summary>Binds the layer to its input, after checking that activation <see cref="Source"/> comes before the input
    /// (the last of <paramref name="activations"/>) and has its shape.</summary>
    /// <exception cref="ArgumentException">The source is not an earlier activation of the input's shape.</exception>
    public override TensorShape Bind(ReadOnlySpan<TensorShape> activations, int maxBatch)
    {
        int index = activations.Length - 1; // this layer's own input
        if (index == 0)
            throw new ArgumentException($"it adds activation {Source}, but as the first layer it has no earlier activation than its input to add.");
        if (Source >= index)
            throw new ArgumentException($"it adds activation {Source}, but only activations 0 (the network's input) to {index - 1} come before its own "
                + $"input (activation {index}, the output of layer {index - 1}); a skip connection adds an earlier activation.");
        if (activations[Source] != activations[index])
            throw new ArgumentException($"it adds activation {Source} ({(Source == 0 ? "the network's input" : $"the output of layer {Source - 1}")}, "
                + $"{activations[Source]}) to its input ({activations[index]}); the two must have the same shape.");
        return Bind(activations[index], maxBatch);
    }

    /// <summary>output = input + source (then the ReLU when fused) for <paramref name="batch"/> samples.</summary>
    public void Forward(float[] input, float[] source, float[] output, int batch)
    {
        // The runtime's kernel (one pass, the ReLU in its store), so training computes what the exported Add does.
        int n = batch * Length;
        AddKernel.Run(input.AsSpan(0, n), source.AsSpan(0, n), output.AsSpan(0, n), FusedRelu);
    }

    /// <summary>Writes d(loss)/d(input) into <paramref name="inputGradient"/> and adds the same values into
    /// <paramref name="sourceGradient"/> (when given: the network passes none where nothing before needs it).</summary>
    /// <param name="output">The output of the last forward pass (its sign is the fused ReLU's mask).</param>
    /// <param name="outputGradient">d(loss)/d(output).</param>
    /// <param name="inputGradient">Receives d(loss)/d(input), which equals d(loss)/d(source).</param>
    /// <param name="sourceGradient">The source activation's gradient from the skips, added to; null when not wanted.</param>
    /// <param name="batch">The number of samples.</param>
    public void Backward(float[] output, float[] outputGradient, float[] inputGradient, float[]? sourceGradient, int batch)
    {
        int n = batch * Length;
        Span<float> dx = inputGradient.AsSpan(0, n);
        if (FusedRelu) Relu.PassWherePositive(output.AsSpan(0, n), outputGradient.AsSpan(0, n), dx);
        else outputGradient.AsSpan(0, n).CopyTo(dx);
        if (sourceGradient is not null) TensorPrimitives.Add(sourceGradient.AsSpan(0, n), dx, sourceGradient.AsSpan(0, n));
    }

    /// <summary>Not callable: the layer needs its source activation, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) => throw NeedsNetwork();

    /// <summary>Not callable: the layer needs its source activation's gradient, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads) =>
        throw NeedsNetwork();

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ResidualAdd(Name, Source, FusedRelu);

    private InvalidOperationException NeedsNetwork() =>
        new($"{Name} adds activation {Source} to its input; run it through a Network, which holds both, or call the overloads that take the source.");
}
