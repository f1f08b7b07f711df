using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A residual Add: the step's input plus the activation the plan held for it (<see cref="PlanStep.Operand"/>),
/// written over the input when the plan allows, with a fused ReLU when the layer or a following ReLU asks for one. One
/// image's sum is split across the session's threads by runs of elements, as an element-wise map is.</summary>
internal sealed class AddExecutor : JoinExecutor
{
    private readonly RangeKernel _add;

    /// <summary>An Add that applies <paramref name="activation"/> (None or ReLU) to each sum.</summary>
    public AddExecutor(Activation activation)
    {
        bool relu = activation == Activation.Relu;
        _add = (path, x, a, y, start, end) =>
        {
            int count = end - start;
            if (path == KernelPath.Scalar) AddKernel.Reference(x.Slice(start, count), a.Slice(start, count), y.Slice(start, count), relu);
            else AddKernel.Run(x.Slice(start, count), a.Slice(start, count), y.Slice(start, count), relu);
        };
    }

    public override bool CanRunInPlace => true;

    /// <summary>Computes <paramref name="destination"/> = act(<paramref name="source"/> + <paramref name="operand"/>).</summary>
    public override void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelRunner kernels) =>
        kernels.Ranges(_add, source, operand, destination, source.Length, 1, ElementAlignment);

    /// <summary>Boundaries every 16 floats, 64 bytes, a cache line.</summary>
    private const int ElementAlignment = 16;
}
