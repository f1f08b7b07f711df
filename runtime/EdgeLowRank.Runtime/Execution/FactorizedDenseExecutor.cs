using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>y = act((xA)B + b): two kernel calls through a rank-r intermediate held in scratch memory, followed there
/// by the widened panel of an int8 factor (both factors use the same one, in turn).</summary>
internal sealed class FactorizedDenseExecutor(FactorizedDenseLayer layer, Activation activation) : LayerExecutor
{
    public override long ScratchFloats(int maxBatch) =>
        (long)maxBatch * layer.Rank + Math.Max(PanelWeights.DequantizedFloats(layer.First), PanelWeights.DequantizedFloats(layer.Second));

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelPath path)
    {
        Span<float> projected = scratch[..(batch * layer.Rank)];
        Span<float> dequantized = scratch[(batch * layer.Rank)..];
        DenseKernel.RunValidated(source, batch, PanelWeights.Of(layer.First, dequantized), layer.Inputs, layer.Rank,
            ReadOnlySpan<float>.Empty, Activation.None, projected, path);
        DenseKernel.RunValidated(projected, batch, PanelWeights.Of(layer.Second, dequantized), layer.Rank, layer.Outputs,
            layer.Bias.Span, activation, destination, path);
    }
}
