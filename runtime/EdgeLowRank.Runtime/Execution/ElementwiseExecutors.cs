using System.Numerics.Tensors;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>max(0, x); TensorPrimitives already vectorizes it for every instruction set.</summary>
internal sealed class ReluExecutor : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path) =>
        TensorPrimitives.Max(source, 0f, destination);
}

/// <summary>Softmax of each sample's vector. The maximum is subtracted first so that large logits
/// cannot overflow exp (TensorPrimitives.SoftMax does not do this).</summary>
internal sealed class SoftmaxExecutor(int length) : LayerExecutor
{
    public override bool CanRunInPlace => true;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> logits = source.Slice(b * length, length);
            Span<float> probabilities = destination.Slice(b * length, length);
            float max = TensorPrimitives.Max(logits);
            TensorPrimitives.Subtract(logits, max, probabilities);
            TensorPrimitives.Exp(probabilities, probabilities);
            TensorPrimitives.Divide(probabilities, TensorPrimitives.Sum(probabilities), probabilities);
        }
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
