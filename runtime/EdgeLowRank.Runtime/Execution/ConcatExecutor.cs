using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A Concat: the activation the plan held for it (<see cref="PlanStep.Operand"/>) and the step's input, their
/// channels stacked pixel by pixel in the layer's order, into a buffer of its own (the output is wider than either). One
/// image's pixels are split across the session's threads in runs whose output falls on whole cache lines.</summary>
internal sealed class ConcatExecutor : JoinExecutor
{
    private readonly bool _inputFirst;
    private readonly int _firstChannels, _secondChannels, _rowAlignment;
    private readonly RangeKernel _concat;

    /// <summary>A Concat of <paramref name="layer"/>'s order, of an input of shape <paramref name="input"/> and a held
    /// activation of shape <paramref name="operand"/>.</summary>
    public ConcatExecutor(ConcatLayer layer, TensorShape input, TensorShape operand)
    {
        _inputFirst = layer.InputFirst;
        (int inputChannels, int operandChannels) = (input.Dimensions[^1], operand.Dimensions[^1]);
        (_firstChannels, _secondChannels) = _inputFirst ? (inputChannels, operandChannels) : (operandChannels, inputChannels);
        _rowAlignment = SplitKernelRunner.RowAlignment(_firstChannels + _secondChannels);
        _concat = ConcatRows;
    }

    /// <summary>Writes each pixel's operand channels and input channels (input first if the layer says so) to <paramref name="destination"/>.</summary>
    public override void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelRunner kernels)
    {
        ReadOnlySpan<float> first = _inputFirst ? source : operand, second = _inputFirst ? operand : source;
        kernels.Ranges(_concat, first, second, destination, first.Length / _firstChannels, _firstChannels + _secondChannels, _rowAlignment);
    }

    /// <summary>Rows (pixels) <paramref name="start"/> up to <paramref name="end"/>; the same copies on every path.</summary>
    private void ConcatRows(KernelPath path, ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> y, int start, int end)
    {
        int width = _firstChannels + _secondChannels;
        ConcatKernel.Run(first[(start * _firstChannels)..(end * _firstChannels)], _firstChannels, second[(start * _secondChannels)..(end * _secondChannels)],
            _secondChannels, y[(start * width)..(end * width)]);
    }
}
