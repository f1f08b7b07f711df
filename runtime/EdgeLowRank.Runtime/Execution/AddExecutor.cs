using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A residual Add: the step's input plus the activation the plan held for it (<see cref="PlanStep.Operand"/>),
/// written over the input when the plan allows, with a fused ReLU when the layer or a following ReLU asks for one.</summary>
internal sealed class AddExecutor(Activation activation) : JoinExecutor
{
    public override bool CanRunInPlace => true;

    /// <summary>Computes <paramref name="destination"/> = act(<paramref name="source"/> + <paramref name="operand"/>).</summary>
    public override void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelPath path)
    {
        bool relu = activation == Activation.Relu;
        if (path == KernelPath.Scalar) AddKernel.Reference(source, operand, destination, relu);
        else AddKernel.Run(source, operand, destination, relu);
    }
}
