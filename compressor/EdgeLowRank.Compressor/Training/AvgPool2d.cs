using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Average pooling of channels-last images (no padding, so every window averages k·k values). The forward pass is the
/// runtime's <see cref="AvgPoolKernel"/>; the backward pass gives each pixel of a window 1/(k·k) of the window's gradient,
/// summed over the windows that overlap it.
/// </summary>
public sealed class AvgPool2d(string name, int size, int stride) : Pool2d(name, size, stride)
{
    /// <inheritdoc/>
    protected override void Pool(ReadOnlySpan<float> image, Span<float> pooled) =>
        AvgPoolKernel.Run(image, Input[0], Input[1], Input[2], Geometry, pooled);

    /// <inheritdoc/>
    protected override void RouteGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> pooled, ReadOnlySpan<float> pooledGradient, Span<float> imageGradient)
    {
        int k = Geometry.KernelSize, s = Geometry.Stride, width = Input[1], channels = Input[2];
        float share = 1f / (k * k);
        imageGradient.Clear();
        for (int oy = 0; oy < Output[0]; oy++)
            for (int ox = 0; ox < Output[1]; ox++)
            {
                // All channels of a pixel at once: they are contiguous in the gradient and in the image.
                ReadOnlySpan<float> gradient = pooledGradient.Slice((oy * Output[1] + ox) * channels, channels);
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                    {
                        Span<float> target = imageGradient.Slice(((oy * s + ky) * width + ox * s + kx) * channels, channels);
                        TensorPrimitives.MultiplyAdd(gradient, share, target, target);
                    }
            }
    }

    /// <inheritdoc/>
    internal override TrainingLayer Replicate() => new AvgPool2d(Name, Geometry.KernelSize, Geometry.Stride);
}
