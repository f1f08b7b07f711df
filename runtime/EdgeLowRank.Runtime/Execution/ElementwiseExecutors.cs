using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>One function of each element (ReLU, tanh, sigmoid, hard swish, …), in place when the plan allows: <paramref name="fast"/>
/// normally, <paramref name="reference"/> (the scalar oracle) on <see cref="KernelPath.Scalar"/>.</summary>
internal sealed class ElementMapExecutor(ElementMap fast, ElementMap reference) : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        kernels.Map(fast, reference, source, destination[..source.Length]);
}

/// <summary>y[i] = f(x[i]) over equal-length spans; y may be x itself.</summary>
internal delegate void ElementMap(ReadOnlySpan<float> x, Span<float> y);

/// <summary>Softmax of each sample's vector (both kernels subtract the maximum, so large logits cannot overflow);
/// the scalar reference on <see cref="KernelPath.Scalar"/>.</summary>
internal sealed class SoftmaxExecutor(int length) : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        if (kernels.Path == KernelPath.Scalar) SoftmaxKernel.Reference(source, batch, length, destination);
        else SoftmaxKernel.RunValidated(source, batch, length, destination);
    }
}

/// <summary>A reshape: the data is already in channels-last order, so it only moves when the plan needs a copy.</summary>
internal sealed class FlattenExecutor : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        if (!source.Overlaps(destination)) source.CopyTo(destination);
    }
}
