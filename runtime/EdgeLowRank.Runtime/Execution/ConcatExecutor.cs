using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A Concat: the activation the plan held for it (<see cref="PlanStep.Operand"/>) and the step's input, their
/// channels stacked pixel by pixel in the layer's order, into a buffer of its own (the output is wider than either).</summary>
internal sealed class ConcatExecutor(ConcatLayer layer, TensorShape input, TensorShape operand) : JoinExecutor
{
    private readonly int _inputChannels = input.Dimensions[^1], _operandChannels = operand.Dimensions[^1];

    /// <summary>Writes each pixel's operand channels and input channels (input first if the layer says so) to <paramref name="destination"/>.</summary>
    public override void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelRunner kernels)
    {
        if (layer.InputFirst) ConcatKernel.Run(source, _inputChannels, operand, _operandChannels, destination);
        else ConcatKernel.Run(operand, _operandChannels, source, _inputChannels, destination);
    }
}
