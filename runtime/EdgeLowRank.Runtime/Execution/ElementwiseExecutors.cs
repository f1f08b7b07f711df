using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>max(0, x), in place when the plan allows; the scalar reference on <see cref="KernelPath.Scalar"/>.</summary>
internal sealed class ReluExecutor : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        if (path == KernelPath.Scalar) ReluKernel.Reference(source, destination);
        else ReluKernel.Run(source, destination);
    }
}

/// <summary>Softmax of each sample's vector (both kernels subtract the maximum, so large logits cannot overflow);
/// the scalar reference on <see cref="KernelPath.Scalar"/>.</summary>
internal sealed class SoftmaxExecutor(int length) : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        if (path == KernelPath.Scalar) SoftmaxKernel.Reference(source, batch, length, destination);
        else SoftmaxKernel.RunValidated(source, batch, length, destination);
    }
}

/// <summary>A reshape: the data is already in channels-last order, so it only moves when the plan needs a copy.</summary>
internal sealed class FlattenExecutor : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        if (!source.Overlaps(destination)) source.CopyTo(destination);
    }
}
