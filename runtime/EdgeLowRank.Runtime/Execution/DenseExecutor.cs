using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>y = act(xW + b) through the packed GEMV/GEMM kernel, or in integers when the layer quantizes its inputs.</summary>
internal sealed class DenseExecutor(DenseLayer layer, FusedActivation activation) : LayerExecutor
{
    private bool Integer => layer.InputQuantization == InputQuantization.Dynamic;

    public override long ScratchFloats(int maxBatch) => Integer ? IntegerDenseKernel.ScratchFloats(maxBatch, layer.Inputs) : 0;

    public override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels)
    {
        if (Integer) kernels.MultiplyIntegers(source, batch, layer.Weights, layer.Bias.Span, activation, destination, scratch);
        else kernels.Multiply(source, batch, layer.Weights, layer.Bias.Span, activation, destination);
    }
}
