using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Squeeze-and-excitation's scaling: y = a ⊙ x, where a is the earlier activation <see cref="Source"/> (an image h×w×c,
/// channels-last, or a vector of c) and x, the layer's input, one value per channel of a (a vector of c or a 1×1×c image):
/// every pixel's channel k times x[k]; the output has a's shape. It is the runtime's <see cref="ChannelScaleLayer"/>, with
/// activations numbered as for <see cref="ResidualAdd"/>: 0 is the network's input and j the output of layer j − 1. MobileNetV3's
/// block whose depthwise activation is j goes on with <c>AvgPool2d over the image, Conv2d 1×1, ReLU, Conv2d 1×1, HardSigmoid,
/// ChannelScale ← j</c>: the gate's path starts from activation j itself, so no branch is needed.
/// <para>Like an Add, the layer reads two activations, so only a <see cref="Network"/> (or a shard of its step) runs it, through
/// the overloads that take the source. Its backward pass gives the input dL/dx[k] = Σ over a sample's pixels of g·a[…, k]
/// (written over the input gradient), and the source g ⊙ x, each pixel's channels times the sample's gate (added into the source's
/// gradient sum, which the network adds up over every layer that reads that activation).</para>
/// </summary>
public sealed class ChannelScale : TrainingLayer
{
    private int _channels, _pixels; // _pixels: rows of channels per sample of the source (1 for a vector)

    /// <summary>Creates the layer.</summary>
    /// <param name="name">Its name, e.g. "scale1".</param>
    /// <param name="source">The activation scaled: 0 for the network's input, j for the output of layer j − 1; it must come
    /// before the layer's own input, which binding the network checks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is negative.</exception>
    public ChannelScale(string name, int source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(source);
        Name = name;
        Source = source;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The activation scaled: 0 for the network's input, j for the output of layer j − 1.</summary>
    public int Source { get; }

    /// <summary>Binds the layer to its input (the last of <paramref name="activations"/>), after the runtime's
    /// <see cref="ChannelScaleLayer"/> has checked that activation <see cref="Source"/> comes before it and that the input holds
    /// one value per channel of it (so a network that trains is one the runtime runs); returns the source's shape.</summary>
    /// <exception cref="ArgumentException">The source is not earlier, or the input is not one value per channel of it.</exception>
    public override TensorShape Bind(ReadOnlySpan<TensorShape> activations, int maxBatch)
    {
        TensorShape scaled = new ChannelScaleLayer(Source).GetOutputShape(activations);
        _channels = scaled.Dimensions[^1];
        _pixels = scaled.ElementCount / _channels;
        return scaled;
    }

    /// <summary>Not callable: the output has the shape of activation <see cref="Source"/>, which only the chain knows.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override TensorShape Bind(TensorShape input, int maxBatch) =>
        throw new InvalidOperationException($"{Name} scales activation {Source}, whose shape only the chain knows; bind it with the shapes of the activations before it.");

    /// <summary>output = source ⊙ input, each pixel's channels times the sample's values, for <paramref name="batch"/> samples.</summary>
    public void Forward(float[] input, float[] source, float[] output, int batch)
    {
        // The runtime's kernel, so training computes what the exported ChannelScale does.
        int n = batch * _pixels * _channels;
        ChannelScaleKernel.Run(source.AsSpan(0, n), input.AsSpan(0, batch * _channels), _channels, output.AsSpan(0, n));
    }

    /// <summary>Writes d(loss)/d(input), each channel's Σ over the sample's pixels of g·a, into <paramref name="inputGradient"/>,
    /// and adds g ⊙ input into <paramref name="sourceGradient"/> (when given: the network passes none where nothing before needs it).</summary>
    /// <param name="input">The input of the last forward pass: the gate.</param>
    /// <param name="source">The source activation of the last forward pass.</param>
    /// <param name="outputGradient">d(loss)/d(output), g.</param>
    /// <param name="inputGradient">Receives d(loss)/d(input).</param>
    /// <param name="sourceGradient">The source activation's gradient sum, added to; null when not wanted.</param>
    /// <param name="batch">The number of samples.</param>
    public void Backward(float[] input, float[] source, float[] outputGradient, float[] inputGradient, float[]? sourceGradient, int batch)
    {
        int c = _channels, image = _pixels * c;
        for (int s = 0; s < batch; s++)
        {
            // One sample's sums over its pixels, row after row in pixel order, so a shard computes what the whole batch does.
            Span<float> dx = inputGradient.AsSpan(s * c, c);
            ReadOnlySpan<float> gate = input.AsSpan(s * c, c);
            dx.Clear();
            for (int p = 0; p < _pixels; p++)
            {
                int at = s * image + p * c;
                ReadOnlySpan<float> g = outputGradient.AsSpan(at, c);
                TensorPrimitives.MultiplyAdd(g, source.AsSpan(at, c), dx, dx);
                if (sourceGradient is null) continue;
                Span<float> da = sourceGradient.AsSpan(at, c);
                TensorPrimitives.MultiplyAdd(g, gate, da, da);
            }
        }
    }

    /// <summary>Not callable: the layer needs its source activation, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads) => throw NeedsNetwork();

    /// <summary>Not callable: the layer needs its source activation and its gradient, which only the network holds.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads) =>
        throw NeedsNetwork();

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new ChannelScale(Name, Source);

    private InvalidOperationException NeedsNetwork() =>
        new($"{Name} scales activation {Source} by its input; run it through a Network, which holds both, or call the overloads that take the source.");
}
