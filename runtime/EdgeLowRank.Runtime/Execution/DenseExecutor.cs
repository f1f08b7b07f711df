using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>y = act(xW + b) through the packed GEMV/GEMM kernel.</summary>
internal sealed class DenseExecutor(DenseLayer layer, FusedActivation activation) : LayerExecutor
{
    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        kernels.Multiply(source, batch, layer.Weights, layer.Bias.Span, activation, destination);
}
