namespace EdgeLowRank.Runtime.Execution;

/// <summary>One kernel launch of the plan: which layers it covers, what it reads and where it writes.</summary>
internal sealed record PlanStep(
    LayerExecutor Executor,
    int FirstLayer,
    int LayerCount,
    int InputLength,
    int OutputLength,
    BufferLocation Source,
    BufferLocation Destination);
