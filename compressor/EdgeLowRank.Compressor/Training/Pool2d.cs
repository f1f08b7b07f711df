using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// A pooling layer over channels-last images (square window, stride, padding), image by image over the threads:
/// the subclasses pool one image forward and route one image's gradient back (<see cref="MaxPool2d"/>,
/// <see cref="AvgPool2d"/>). Each thread owns <see cref="ScratchFloats"/> floats of scratch for the forward pass, kept
/// from step to step.
/// </summary>
public abstract class Pool2d(string name, int size, int stride, int padding) : TrainingLayer
{
    private float[][] _scratch = [];

    /// <inheritdoc/>
    public sealed override string Name { get; } = name;

    /// <summary>The window (size × size, moved by the stride, hanging over each edge by up to the padding).</summary>
    public ConvolutionGeometry Geometry { get; } = new(size, stride, padding);

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
        _scratch = [];
        return Output;
    }

    /// <inheritdoc/>
    public sealed override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int inLength = Input.ElementCount, outLength = Output.ElementCount;
        // Once per thread count, not per step: a thread's buffer serves every image it pools.
        if (_scratch.Length < threads.Count) _scratch = Enumerable.Range(0, threads.Count).Select(_ => new float[ScratchFloats]).ToArray();
        float[][] scratch = _scratch;
        threads.ForItems(batch, (worker, b) => Pool(input.AsSpan(b * inLength, inLength), output.AsSpan(b * outLength, outLength), scratch[worker]));
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

    /// <summary>Floats of scratch <see cref="Pool"/> needs for one image of the bound shape (0 unless overridden).</summary>
    protected virtual int ScratchFloats => 0;

    /// <summary>Pools one image; <paramref name="scratch"/> holds <see cref="ScratchFloats"/> floats of the calling thread's
    /// own, free to overwrite.</summary>
    protected abstract void Pool(ReadOnlySpan<float> image, Span<float> pooled, Span<float> scratch);

    /// <summary>Writes d(loss)/d(image) of one image (every element: it is not cleared before) from d(loss)/d(pooled).</summary>
    protected abstract void RouteGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient);
}
