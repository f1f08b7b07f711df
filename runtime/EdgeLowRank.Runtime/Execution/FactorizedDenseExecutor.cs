using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>y = act((xA)B + b): two kernel calls through a rank-r intermediate held in scratch memory.</summary>
internal sealed class FactorizedDenseExecutor(FactorizedDenseLayer layer, FusedActivation activation) : LayerExecutor
{
    public override long ScratchFloats(int maxBatch) => (long)maxBatch * layer.Rank;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        Span<float> projected = scratch[..(batch * layer.Rank)];
        kernels.Multiply(source, batch, layer.First, ReadOnlySpan<float>.Empty, FusedActivation.None, projected);
        kernels.Multiply(projected, batch, layer.Second, layer.Bias.Span, activation, destination);
    }
}
