using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A ChannelScale: the activation the plan held for it (<see cref="PlanStep.Operand"/>), every pixel's channels
/// times the step's input, one value per channel, into a buffer of its own (the output is the held activation's size,
/// larger than the input, and the held one may have later readers).</summary>
internal sealed class ChannelScaleExecutor(int channels) : JoinExecutor
{
    /// <summary>Writes <paramref name="operand"/> ⊙ <paramref name="source"/>, broadcast over each sample's pixels, to <paramref name="destination"/>.</summary>
    public override void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelPath path)
    {
        if (path == KernelPath.Scalar) ChannelScaleKernel.Reference(operand, source, channels, destination);
        else ChannelScaleKernel.Run(operand, source, channels, destination);
    }
}
