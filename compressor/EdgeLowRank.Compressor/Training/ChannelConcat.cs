using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Joins two paths by stacking their channels: y = [a, x] along the last dimension (channels of a channels-last image, the
/// features of a vector), where x is the layer's input and a the earlier activation <see cref="Source"/>, of the same shape but
/// for its channel count; <see cref="InputFirst"/> gives y = [x, a]. It is the runtime's <see cref="ConcatLayer"/>, with
/// activations numbered as for <see cref="ResidualAdd"/>: 0 is the network's input and j the output of layer j − 1. A SqueezeNet
/// Fire module whose squeeze output is activation j is <c>expand 1×1, ReLU → activation k, ShortcutBranch ← j, expand 3×3, ReLU,
/// ChannelConcat ← k</c>.
/// <para>Like an Add, the layer reads two activations, so only a <see cref="Network"/> (or a shard of its step) runs it, through
/// the overloads that take the source. Its backward pass splits the output gradient pixel by pixel: the input's channels go to
/// the input gradient, the source's are added into the source's gradient sum, which the network adds up over every layer that
/// reads that activation.</para>
/// </summary>
public sealed class ChannelConcat : TrainingLayer
{
    private int _inputChannels, _sourceChannels, _pixels; // _pixels: rows of channels per sample (1 for a vector)

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "concat1".</param>
    /// <param name="source">The activation joined to the input: 0 for the network's input, j for the output of layer j − 1; it
    /// must come before the layer's own input, which binding the network checks.</param>
    /// <param name="inputFirst">Whether the input's channels come first (y = [x, a]) rather than the source's (y = [a, x]).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    public ChannelConcat(string name, int source, bool inputFirst = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Name = name;
        Source = source;
        InputFirst = inputFirst;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The activation joined to the input: 0 for the network's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>Whether the input's channels come first (y = [x, a]); by default the source's do (y = [a, x]).</summary>
    public bool InputFirst { get; }

    /// <summary>Binds the layer to its input (the last of <paramref name="activations"/>), after checking that activation
    /// <see cref="Source"/> comes before it and agrees with it in every dimension but the last (the runtime's
    /// <see cref="ConcatLayer"/> checks, so a network that trains is one the runtime runs); returns the stacked shape.</summary>
    /// <exception cref="ArgumentException">The source is not an earlier activation of a shape that stacks with the input.</exception>
    public override TensorShape Bind(ReadOnlySpan<TensorShape> activations, int maxBatch)
    {
        TensorShape stacked = new ConcatLayer(Source, InputFirst).GetOutputShape(activations);
        _inputChannels = activations[^1].Dimensions[^1];
        _sourceChannels = activations[Source].Dimensions[^1];
        _pixels = activations[^1].ElementCount / _inputChannels;
        return stacked;
    }

    /// <summary>Not callable: the output stacks activation <see cref="Source"/>, whose shape only the chain knows.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override TensorShape Bind(TensorShape input, int maxBatch) =>
        throw new InvalidOperationException($"{Name} stacks activation {Source} onto its input, whose shape only the chain knows; bind it with the shapes of the activations before it.");

    /// <summary>output = [source, input] (or [input, source]) pixel by pixel, for <paramref name="batch"/> samples.</summary>
    public void Forward(float[] input, float[] source, float[] output, int batch)
    {
        // The runtime's kernel, so training computes what the exported Concat does.
        int rows = batch * _pixels;
        Span<float> x = input.AsSpan(0, rows * _inputChannels), a = source.AsSpan(0, rows * _sourceChannels);
        Span<float> y = output.AsSpan(0, rows * (_inputChannels + _sourceChannels));
        if (InputFirst) ConcatKernel.Run(x, _inputChannels, a, _sourceChannels, y);
        else ConcatKernel.Run(a, _sourceChannels, x, _inputChannels, y);
    }

    /// <summary>Writes the input's channels of d(loss)/d(output) into <paramref name="inputGradient"/> and adds the source's
    /// channels into <paramref name="sourceGradient"/> (when given: the network passes none where nothing before needs it).</summary>
    /// <param name="outputGradient">d(loss)/d(output).</param>
    /// <param name="inputGradient">Receives d(loss)/d(input).</param>
    /// <param name="sourceGradient">The source activation's gradient sum, added to; null when not wanted.</param>
    /// <param name="batch">The number of samples.</param>
    public void Backward(float[] outputGradient, float[] inputGradient, float[]? sourceGradient, int batch)
    {
        int rows = batch * _pixels, width = _inputChannels + _sourceChannels;
        int inputOffset = InputFirst ? 0 : _sourceChannels, sourceOffset = InputFirst ? _inputChannels : 0;
        Span<float> dx = inputGradient.AsSpan(0, rows * _inputChannels);
        ReadOnlySpan<float> dy = outputGradient.AsSpan(0, rows * width);
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> pixel = dy.Slice(row * width, width);
            pixel.Slice(inputOffset, _inputChannels).CopyTo(dx.Slice(row * _inputChannels, _inputChannels));
            if (sourceGradient is null) continue;
            Span<float> da = sourceGradient.AsSpan(row * _sourceChannels, _sourceChannels);
            TensorPrimitives.Add(da, pixel.Slice(sourceOffset, _sourceChannels), da);
        }
    }

    /// <summary>Not callable: the layer needs its source activation, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) => throw NeedsNetwork();

    /// <summary>Not callable: the layer needs its source activation's gradient, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads) =>
        throw NeedsNetwork();

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ChannelConcat(Name, Source, InputFirst);

    private InvalidOperationException NeedsNetwork() =>
        new($"{Name} stacks activation {Source} onto its input; run it through a Network, which holds both, or call the overloads that take the source.");
}
