using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A ChannelScale: the activation the plan held for it (<see cref="PlanStep.Operand"/>), every pixel's channels
/// times the step's input, one value per channel, into a buffer of its own (the output is the held activation's size,
/// larger than the input, and the held one may have later readers). One image's pixels are split across the session's
/// threads in runs whose boundaries fall on whole cache lines.</summary>
internal sealed class ChannelScaleExecutor : JoinExecutor
{
    private readonly int _channels;
    private readonly int _rowAlignment;
    private readonly RangeKernel _scale;

    /// <summary>A ChannelScale of rows (pixels) of <paramref name="channels"/> channels.</summary>
    public ChannelScaleExecutor(int channels)
    {
        _channels = channels;
        _rowAlignment = SplitKernelRunner.RowAlignment(channels);
        _scale = ScaleRows;
    }

    /// <summary>Writes <paramref name="operand"/> ⊙ <paramref name="source"/>, broadcast over each sample's pixels, to <paramref name="destination"/>.</summary>
    public override void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelRunner kernels) =>
        kernels.Ranges(_scale, operand, source, destination, operand.Length / _channels, _channels, _rowAlignment);

    /// <summary>Rows <paramref name="start"/> up to <paramref name="end"/> of the batch's images, sample by sample, each
    /// scaled by its sample's row of <paramref name="scales"/>.</summary>
    private void ScaleRows(KernelPath path, ReadOnlySpan<float> images, ReadOnlySpan<float> scales, Span<float> y, int start, int end)
    {
        int channels = _channels, rowsPerSample = images.Length / scales.Length;
        for (int row = start, last; row < end; row = last)
        {
            int sample = row / rowsPerSample;
            last = Math.Min(end, (sample + 1) * rowsPerSample);
            ReadOnlySpan<float> image = images[(row * channels)..(last * channels)], scale = scales.Slice(sample * channels, channels);
            Span<float> scaled = y[(row * channels)..(last * channels)];
            if (path == KernelPath.Scalar) ChannelScaleKernel.Reference(image, scale, channels, scaled);
            else ChannelScaleKernel.Run(image, scale, channels, scaled);
        }
    }
}
