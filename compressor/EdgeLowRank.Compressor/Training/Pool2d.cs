using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A pooling layer over channels-last images (square window, stride, padding per side), image by image over the threads:
/// the subclasses pool forward and route one image's gradient back (<see cref="MaxPool2d"/>, <see cref="AvgPool2d"/>).
/// </summary>
public abstract class Pool2d(string name, int size, int stride, WindowPadding pads) : TrainingLayer
{
    /// <inheritdoc/>
    public sealed override string Name { get; } = name;

    /// <summary>The window (size × size, moved by the stride, hanging over each edge by that side's padding).</summary>
    public ConvolutionGeometry Geometry { get; } = new(size, stride, pads);

    /// <summary>The shape of one input image, once bound.</summary>
    protected TensorShape Input { get; private set; }

    /// <summary>The shape of one pooled image, once bound.</summary>
    protected TensorShape Output { get; private set; }

    /// <inheritdoc/>
    public sealed override TensorShape Bind(TensorShape input, int maxBatch)
    {
        Geometry.Validate();
        if (input.Rank != 3) throw new ArgumentException($"{Name} expects an image (height×width×channels) but receives {input}.");
        Input = input;
        Output = Geometry.OutputShape(input, input[2]);
        return Output;
    }

    /// <inheritdoc/>
    public sealed override void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int batch, ComputeThreads threads)
    {
        if (inputGradient is null) return;
        int inLength = Input.ElementCount, outLength = Output.ElementCount;
        threads.ForItems(batch, (_, b) => RouteGradient(
            input.AsSpan(b * inLength, inLength), output.AsSpan(b * outLength, outLength),
            outputGradient.AsSpan(b * outLength, outLength), inputGradient.AsSpan(b * inLength, inLength)));
    }

    /// <summary>Writes d(loss)/d(image) of one image (every element: it is not cleared before) from d(loss)/d(pooled).</summary>
    protected abstract void RouteGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient);
}
