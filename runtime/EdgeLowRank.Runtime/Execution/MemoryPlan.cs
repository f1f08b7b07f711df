using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The schedule and memory of one model, computed once at load: layers fused into steps, each
/// step's source and destination, and the sizes of the activation buffers and the scratch
/// buffer every arena holds. Activations ping-pong between two buffers; element-wise layers run in
/// place; a Flatten moves no data; the first step reads the caller's input and the last step writes
/// straight into the caller's output, so no copy is made at either end. An activation a later Add layer
/// adds back, a later Concat joins or ChannelScale scales, or a later Branch layer continues from, is written by its step into a buffer of its own (a
/// held buffer, reused once its last reader has run), which the steps after it read but never overwrite; no ReLU is fused
/// into the layer before an activation an Add, Concat or Branch reads, and a Flatten whose output one reads copies it into
/// its held buffer. A Branch is no step: the step after it reads the held activation (or the caller's input) it names.
/// </summary>
internal sealed class MemoryPlan
{
    /// <summary>Floats per buffer are rounded up to this, so every buffer starts 64-byte aligned.</summary>
    private const int AlignmentFloats = 16;

    /// <summary>The most floats one buffer may hold: a span's length, rounded down to the alignment.</summary>
    private const int MaxBufferFloats = int.MaxValue / AlignmentFloats * AlignmentFloats;

    private readonly int _activationPerSample;

    private MemoryPlan(IReadOnlyList<PlanStep> steps, int maxBatchSize, int activationPerSample, int heldPerSample, int heldBuffers)
    {
        Steps = steps;
        BufferCount = 2 + heldBuffers;
        MaxBatchSize = maxBatchSize;
        _activationPerSample = Math.Max(activationPerSample, heldPerSample);
        (long activation, long scratch) = BufferFloats(steps, activationPerSample, maxBatchSize);
        ActivationFloats = RoundUp((int)activation);
        HeldFloats = heldBuffers == 0 ? 0 : RoundUp(heldPerSample * maxBatchSize); // Fits checked it
        ScratchFloats = RoundUp((int)scratch);
    }

    /// <summary>The steps in execution order.</summary>
    public IReadOnlyList<PlanStep> Steps { get; }

    /// <summary>The largest batch one pass through the arena can hold.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Activation buffers in each arena: Ping and Pong, then the held ones.</summary>
    public int BufferCount { get; }

    /// <summary>Floats in each of Ping and Pong.</summary>
    public int ActivationFloats { get; }

    /// <summary>Floats in each held buffer: the largest activation an Add reads back, often smaller than the largest the chain
    /// passes through (a network's first convolution has its widest output, its residual blocks come after pooling).</summary>
    public int HeldFloats { get; }

    /// <summary>Floats of scratch memory.</summary>
    public int ScratchFloats { get; }

    /// <summary>Bytes one arena occupies.</summary>
    public long ArenaBytes => (ScratchOffset + ScratchFloats) * sizeof(float);

    /// <summary>Where the scratch buffer starts in an arena, in floats, after the activation buffers: a long, since together
    /// they may hold more than 2^31 floats (each holds at most that).</summary>
    public long ScratchOffset => BufferOffset(BufferCount);

    /// <summary>Where activation buffer <paramref name="index"/> (<see cref="BufferLocation.Buffer"/>) starts in an arena, in floats.</summary>
    public long BufferOffset(int index) => index <= 2 ? (long)index * ActivationFloats : 2L * ActivationFloats + (long)(index - 2) * HeldFloats;

    /// <summary>Floats in activation buffer <paramref name="index"/>.</summary>
    public int BufferFloats(int index) => index < 2 ? ActivationFloats : HeldFloats;

    /// <summary>The largest batch whose buffers this model's plan can hold (each buffer is one span).</summary>
    public int LargestBatchSize => LargestBatch(Steps, _activationPerSample);

    /// <summary>Builds the plan for <paramref name="model"/> and batches of up to <paramref name="maxBatchSize"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A buffer for <paramref name="maxBatchSize"/> samples would not fit in a span.</exception>
    /// <exception cref="NotSupportedException">Not even one sample's buffers fit.</exception>
    public static MemoryPlan Build(Model model, int maxBatchSize)
    {
        var steps = new List<PlanStep>();
        var held = new HeldActivations(model);
        var location = BufferLocation.Input;
        int largestActivation = 0, largestHeld = 0;
        int layerCount = model.Layers.Count;
        for (int i = 0; i < layerCount; i++)
        {
            Layer layer = model.Layers[i];
            if (layer is BranchLayer)
            {
                location = held.Where(i + 1); // its source, held since it was written; a later Add reads the input it leaves
                continue;
            }
            // A fused activation would leave no trace of the activation between the two layers, which an Add or Branch may need.
            FusedActivation? fused = i + 1 < layerCount && !held.IsHeld(i + 1) ? Fusable(layer, model.Layers[i + 1]) : null;
            int covered = fused is null ? 1 : 2;
            int produced = i + covered; // the activation this step leaves
            bool last = produced == layerCount;
            LayerExecutor executor = ExecutorFactory.Create(model, i, fused ?? FusedActivation.Of(layer.Activation));
            int inputLength = model.InputShapeOf(i).ElementCount;
            int outputLength = model.OutputShapeOf(produced - 1).ElementCount;
            held.ReleaseBefore(i);

            if (layer is FlattenLayer && !last && !held.IsHeld(produced))
            {
                i += covered - 1;
                continue; // a reshape of data already in place: the next step reads the same memory
            }

            BufferLocation destination =
                last ? BufferLocation.Output
                : held.IsHeld(produced) ? held.Hold(produced)
                : executor.CanRunInPlace && location.IsPingPong ? location
                : location == BufferLocation.Ping ? BufferLocation.Pong
                : BufferLocation.Ping;
            if (destination.IsPingPong) largestActivation = Math.Max(largestActivation, outputLength);
            else if (destination.InArena) largestHeld = Math.Max(largestHeld, outputLength);
            int? joined = Model.JoinedSource(layer);
            BufferLocation? operand = joined is int j ? held.Where(j) : null;
            int operandLength = joined is int a ? model.InputShapeOf(a).ElementCount : 0;
            steps.Add(new PlanStep(executor, i, covered, inputLength, outputLength, location, destination, operand, operandLength));
            location = destination;
            i += covered - 1;
        }
        int widest = Math.Max(largestActivation, largestHeld); // every buffer must fit in a span
        if (!Fits(steps, widest, maxBatchSize))
            throw new ArgumentOutOfRangeException(nameof(maxBatchSize), maxBatchSize, // LargestBatch throws first when no batch fits
                $"A pass of {maxBatchSize:N0} samples needs buffers of more than {MaxBufferFloats:N0} floats, the most one holds; "
                + $"this model runs at most {LargestBatch(steps, widest):N0} samples per pass (larger batches are split into passes anyway).");
        return new MemoryPlan(steps, maxBatchSize, largestActivation, largestHeld, held.BufferCount);
    }

    private static int LargestBatch(IReadOnlyList<PlanStep> steps, int activationPerSample)
    {
        if (!Fits(steps, activationPerSample, 1))
            throw new NotSupportedException($"This model's buffers for one sample hold more than {MaxBufferFloats:N0} floats, the most one may hold; the runtime cannot run it.");
        // Every buffer grows with the batch, so the largest batch that fits is found by bisection.
        int low = 1, high = int.MaxValue;
        while (low < high)
        {
            int middle = low + (int)(((long)high - low + 1) / 2);
            if (Fits(steps, activationPerSample, middle)) low = middle;
            else high = middle - 1;
        }
        return low;
    }

    private static bool Fits(IReadOnlyList<PlanStep> steps, int activationPerSample, int maxBatchSize)
    {
        (long activation, long scratch) = BufferFloats(steps, activationPerSample, maxBatchSize);
        return activation <= MaxBufferFloats && scratch <= MaxBufferFloats;
    }

    private static (long Activation, long Scratch) BufferFloats(IReadOnlyList<PlanStep> steps, int activationPerSample, int maxBatchSize) =>
        ((long)activationPerSample * maxBatchSize, steps.Select(s => s.Executor.ScratchFloats(maxBatchSize)).DefaultIfEmpty(0).Max());

    /// <summary>The activation of <paramref name="next"/> that <paramref name="layer"/>'s executor can apply in its store,
    /// or null. Only the weighted layers' and the Add's executors apply one, and only one; the Add's kernel has no ceiling and
    /// no hard swish.</summary>
    private static FusedActivation? Fusable(Layer layer, Layer next) => layer.Activation != Activation.None ? null : (layer, next) switch
    {
        (DenseLayer or FactorizedDenseLayer or Conv2dLayer or FactorizedConv2dLayer or DepthwiseConv2dLayer or AddLayer, ReluLayer) => FusedActivation.Relu,
        (DenseLayer or FactorizedDenseLayer or Conv2dLayer or FactorizedConv2dLayer or DepthwiseConv2dLayer, Relu6Layer) => FusedActivation.Relu6,
        (DenseLayer or FactorizedDenseLayer or Conv2dLayer or FactorizedConv2dLayer or DepthwiseConv2dLayer, HardSwishLayer) => FusedActivation.HardSwish,
        _ => null,
    };

    private static int RoundUp(int floats) => (floats + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
}
