namespace EdgeLowRank.Runtime.Execution;

/// <summary>One kernel launch of the plan: which layers it covers, what it reads and where it writes.</summary>
/// <param name="Executor">Runs the step.</param>
/// <param name="FirstLayer">The index of the first layer it covers.</param>
/// <param name="LayerCount">The layers it covers (2 when a ReLU is fused into the first).</param>
/// <param name="InputLength">Floats per sample it reads.</param>
/// <param name="OutputLength">Floats per sample it writes.</param>
/// <param name="Source">Where its input lies.</param>
/// <param name="Destination">Where its output goes.</param>
/// <param name="Operand">Where an Add, Concat or ChannelScale step finds the activation it joins to its input; null for every other step.</param>
/// <param name="OperandLength">Floats per sample of that activation; 0 for every other step.</param>
internal sealed record PlanStep(
    LayerExecutor Executor,
    int FirstLayer,
    int LayerCount,
    int InputLength,
    int OutputLength,
    BufferLocation Source,
    BufferLocation Destination,
    BufferLocation? Operand = null,
    int OperandLength = 0);
