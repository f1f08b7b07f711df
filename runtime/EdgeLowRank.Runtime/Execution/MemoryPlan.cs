using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The schedule and memory of one model, computed once at load: layers fused into steps, each
/// step's source and destination, and the sizes of the two activation buffers and the scratch
/// buffer every arena holds. Activations ping-pong between two buffers; element-wise layers run in
/// place; a Flatten moves no data; the first step reads the caller's input and the last step writes
/// straight into the caller's output, so no copy is made at either end.
/// </summary>
internal sealed class MemoryPlan
{
    /// <summary>Floats per buffer are rounded up to this, so every buffer starts 64-byte aligned.</summary>
    private const int AlignmentFloats = 16;

    private MemoryPlan(IReadOnlyList<PlanStep> steps, int maxBatch, int activationFloats, int scratchFloats)
    {
        Steps = steps;
        MaxBatchSize = maxBatch;
        ActivationFloats = activationFloats;
        ScratchFloats = scratchFloats;
    }

    /// <summary>The steps in execution order.</summary>
    public IReadOnlyList<PlanStep> Steps { get; }

    /// <summary>The largest batch one pass through the arena can hold.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Floats in each of the two activation buffers.</summary>
    public int ActivationFloats { get; }

    /// <summary>Floats of scratch memory.</summary>
    public int ScratchFloats { get; }

    /// <summary>Bytes one arena occupies.</summary>
    public long ArenaBytes => (2L * ActivationFloats + ScratchFloats) * sizeof(float);

    /// <summary>Builds the plan for <paramref name="model"/> and batches of up to <paramref name="maxBatch"/> samples.</summary>
    public static MemoryPlan Build(Model model, int maxBatch)
    {
        var steps = new List<PlanStep>();
        var location = BufferLocation.Input;
        int largestActivation = 0, largestScratch = 0;
        int layerCount = model.Layers.Count;
        for (int i = 0; i < layerCount; i++)
        {
            Layer layer = model.Layers[i];
            bool fuseRelu = i + 1 < layerCount && model.Layers[i + 1] is ReluLayer && CanFuseRelu(layer);
            int covered = fuseRelu ? 2 : 1;
            bool last = i + covered == layerCount;
            LayerExecutor executor = ExecutorFactory.Create(layer, model.InputShapeOf(i), fuseRelu);
            int inputLength = model.InputShapeOf(i).ElementCount;
            int outputLength = model.OutputShapeOf(i + covered - 1).ElementCount;

            if (layer is FlattenLayer && !last)
            {
                i += covered - 1;
                continue; // a reshape of data already in place: the next step reads the same memory
            }

            BufferLocation destination =
                last ? BufferLocation.Output
                : executor.CanRunInPlace && location is BufferLocation.Ping or BufferLocation.Pong ? location
                : location == BufferLocation.Ping ? BufferLocation.Pong
                : BufferLocation.Ping;
            if (destination is BufferLocation.Ping or BufferLocation.Pong)
                largestActivation = Math.Max(largestActivation, outputLength);
            largestScratch = Math.Max(largestScratch, executor.ScratchFloats(maxBatch));
            steps.Add(new PlanStep(executor, i, covered, inputLength, outputLength, location, destination));
            location = destination;
            i += covered - 1;
        }
        return new MemoryPlan(steps, maxBatch,
            RoundUp(checked(largestActivation * maxBatch)), RoundUp(largestScratch));
    }

    // Only the weighted layers' executors apply an activation in their store, and only one.
    private static bool CanFuseRelu(Layer layer) =>
        layer is DenseLayer or FactorizedDenseLayer or Conv2dLayer or FactorizedConv2dLayer && layer.Activation == Activation.None;

    private static int RoundUp(int floats) => (floats + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
}
