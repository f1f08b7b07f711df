using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>y = act((xA)B + b): two kernel calls through a rank-r intermediate held in scratch memory; in integers, each
/// product quantizing its own inputs (the intermediate too), when the layer says so.</summary>
internal sealed class FactorizedDenseExecutor(FactorizedDenseLayer layer, FusedActivation activation) : LayerExecutor
{
    private bool Integer => layer.InputQuantization == InputQuantization.Dynamic;

    public override long ScratchFloats(int maxBatch) => (long)maxBatch * layer.Rank + (Integer
        ? Math.Max(IntegerDenseKernel.ScratchFloats(maxBatch, layer.Inputs), IntegerDenseKernel.ScratchFloats(maxBatch, layer.Rank))
        : 0);

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        Span<float> projected = scratch[..(batch * layer.Rank)];
        if (Integer)
        {
            Span<float> quantized = scratch[(batch * layer.Rank)..];
            kernels.MultiplyIntegers(source, batch, layer.First, ReadOnlySpan<float>.Empty, FusedActivation.None, projected, quantized);
            kernels.MultiplyIntegers(projected, batch, layer.Second, layer.Bias.Span, activation, destination, quantized);
            return;
        }
        kernels.Multiply(source, batch, layer.First, ReadOnlySpan<float>.Empty, FusedActivation.None, projected);
        kernels.Multiply(projected, batch, layer.Second, layer.Bias.Span, activation, destination);
    }
}
