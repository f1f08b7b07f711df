using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>y = act((xA)B + b): two kernel calls through a rank-r intermediate held in scratch memory.</summary>
internal sealed class FactorizedDenseExecutor(FactorizedDenseLayer layer, Activation activation) : LayerExecutor
{
    public override long ScratchFloats(int maxBatch) => (long)maxBatch * layer.Rank;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        Span<float> projected = scratch[..(batch * layer.Rank)];
        DenseKernel.RunValidated(source, batch, PanelWeights.Of(layer.First), layer.Inputs, layer.Rank, ReadOnlySpan<float>.Empty, Activation.None, projected, path);
        DenseKernel.RunValidated(projected, batch, PanelWeights.Of(layer.Second), layer.Rank, layer.Outputs, layer.Bias.Span, activation, destination, path);
    }
}
