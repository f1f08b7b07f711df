namespace EdgeLowRank.Runtime.Execution;

/// <summary>A step that reads two activations: its input and one the plan held for it (<see cref="PlanStep.Operand"/>), as
/// an Add, a Concat or a ChannelScale does. The session runs it through <see cref="Execute(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, KernelRunner)"/>.</summary>
internal abstract class JoinExecutor : LayerExecutor
{
    /// <summary>Computes <paramref name="destination"/> from <paramref name="source"/>, the step's input, and
    /// <paramref name="operand"/>, the held activation, each holding <paramref name="batch"/> samples, with the pass's kernels.</summary>
    public abstract void Execute(ReadOnlySpan<float> source, ReadOnlySpan<float> operand, Span<float> destination, int batch, KernelRunner kernels);

    /// <summary>A join reads two activations; the session calls the overload with the operand.</summary>
    public sealed override void Execute(ReadOnlySpan<float> source, Span<float> destination, int batch, Span<float> scratch, KernelRunner kernels) =>
        throw new InvalidOperationException($"A {GetType().Name[..^"Executor".Length]} step needs the activation it joins; the session runs it through Execute(source, operand, destination, batch, kernels).");
}
