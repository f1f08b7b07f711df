using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Average pooling of channels-last images (no padding, so every window averages k·k values). The forward pass is the
/// runtime's <see cref="AvgPoolKernel"/>; the backward pass gives each pixel of a window 1/(k·k) of the window's gradient,
/// summed over the windows that overlap it.
/// </summary>
public sealed class AvgPool2d(string name, int size, int stride) : Pool2d(name, size, stride, pads: default)
{
    /// <inheritdoc/>
    public override void Forward(float[] input, float[] output, int batch, ComputeThreads threads)
    {
        int inLength = Input.ElementCount, outLength = Output.ElementCount;
        threads.ForItems(batch, (_, b) => AvgPoolKernel.Run(input.AsSpan(b * inLength, inLength), Input[0], Input[1], Input[2], Geometry,
            output.AsSpan(b * outLength, outLength)));
    }

    /// <inheritdoc/>
    protected override void RouteGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
    {
        int k = Geometry.KernelSize, s = Geometry.Stride, width = Input[1], channels = Input[2];
        float share = 1f / (k * k);
        imageGradient.Clear();
        for (int oy = 0; oy < Output[0]; oy++)
            for (int ox = 0; ox < Output[1]; ox++)
            {
                // A pixel's channels are contiguous in the gradient and in the image. A plain loop, not a TensorPrimitives
                // call per window pixel: for a few channels (6 in lenet5-1998) the call's fixed cost outweighs the work,
                // as it did in the runtime's max pooling (PoolLoop).
                ReadOnlySpan<float> gradient = pooledGradient.Slice((oy * Output[1] + ox) * channels, channels);
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                    {
                        Span<float> target = imageGradient.Slice(((oy * s + ky) * width + ox * s + kx) * channels, channels);
                        for (int c = 0; c < channels; c++) target[c] += share * gradient[c];
                    }
            }
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new AvgPool2d(Name, Geometry.KernelSize, Geometry.Stride);
}
