using System.Diagnostics;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Runs a model. The plan and the memory it needs are computed once, when the session is created;
/// <see cref="Run(ReadOnlySpan{float}, Span{float}, int)"/> then allocates nothing.
/// <para>Threads: <c>Run</c> is thread-safe. Each call borrows an arena (its activation memory)
/// from a small lock-free pool, so concurrent calls never share buffers; the weights are read-only
/// and shared. Up to <see cref="SessionOptions.ConcurrentRuns"/> concurrent calls never allocate; each
/// caller beyond that makes one arena the first time, which the pool then keeps. With
/// <see cref="SessionOptions.Threads"/> above 1, one call also uses the session's worker threads: a batch is split into
/// parts of samples, and a batch too small for that has each large layer split across them (<see cref="SplitKernelRunner"/>).
/// <see cref="Dispose"/> may come from any thread: it refuses new runs (<see cref="ObjectDisposedException"/>) and waits for
/// those in progress to return before it frees their memory.</para>
/// <para>Results: a batch's samples are computed alike however the batch is cut into passes, parts and threads, bit for bit;
/// a sample run alone takes the single-sample kernels, whose sums round differently, so it may differ from the same sample
/// in a batch in the last bits (2.1e-9 on a LeNet-300-100; int8 layers are exact either way). NaN and infinite inputs are
/// not checked: they run through to the outputs, as in ONNX Runtime.</para>
/// </summary>
public sealed unsafe partial class InferenceSession : IDisposable
{
    private readonly MemoryPlan _plan;
    private readonly ArenaPool _arenas;
    private readonly bool _ownsModel;
    private readonly KernelRunner _kernels;
    private readonly WorkerTeam? _team;
    private readonly SplitKernelRunner? _splitKernels;
    private readonly SplitThresholds _split;
    private readonly Action<int, int>? _runBatchPart;
    private readonly long _multiplyAccumulates; // per sample
    private readonly long _largestLayerMultiplyAccumulates; // per sample
    private readonly CallGate _calls = new();
    private PixelBuffers? _pixelBuffers;

    // The batch the worker team is running, set by the run that holds the team and read by its parts.
    private float* _teamInput;
    private float* _teamOutput;
    private int _teamBatch;

    /// <summary>Creates a session for <paramref name="model"/>. The session does not dispose the model
    /// unless <paramref name="ownsModel"/> is true.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The maximum batch size is not positive, or above
    /// <see cref="LargestBatchSizeFor"/>.</exception>
    /// <exception cref="NotSupportedException">The model holds a layer kind this runtime cannot run, or the requested
    /// kernel path is not accelerated on this CPU.</exception>
    /// <exception cref="InsufficientMemoryException">The arenas for <see cref="SessionOptions.MaxBatchSize"/> samples a pass,
    /// for each concurrent run and thread, need more memory than this process may use, or allocating them failed.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public InferenceSession(Model model, SessionOptions? options = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ThrowIfDisposed();
        options ??= new SessionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options.MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConcurrentRuns, 1, nameof(options.ConcurrentRuns));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options.Threads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Threads, MaxThreads, nameof(options.Threads));
        Model = model;
        _plan = MemoryPlan.Build(model, options.MaxBatchSize);
        _split = options.Split;
        _kernels = new KernelRunner(Kernels.KernelPaths.Resolve(options.KernelPath)); // once, so an unsupported path fails at load
        string[] names = LayerNames.Of(model.Layers);
        Steps = _plan.Steps.Select(s => SessionStep.Of(model, names, s)).ToArray();
        long[] layerMultiplyAccumulates = Enumerable.Range(0, model.Layers.Count)
            .Select(i => model.Layers[i].MultiplyAccumulates(model.InputShapeOf(i))).ToArray();
        _multiplyAccumulates = layerMultiplyAccumulates.Sum();
        _largestLayerMultiplyAccumulates = layerMultiplyAccumulates.DefaultIfEmpty().Max();
        // A split run holds an arena per part, and each expected caller the team leaves to run alone holds one more;
        // the pool keeps as many again for callers nobody planned for, up to the CPU count.
        int arenas = options.ConcurrentRuns + options.Threads - 1;
        _arenas = new ArenaPool(_plan, arenas, Math.Max(2, Environment.ProcessorCount));
        _ownsModel = ownsModel;
        if (options.Threads > 1)
        {
            try
            {
                // The team holds the work it is given only while it runs it, so an undisposed session can be collected.
                _team = new WorkerTeam(options.Threads - 1);
                _splitKernels = new SplitKernelRunner(_kernels.Path, _team, options.Split);
                _runBatchPart = RunTeamPart;
            }
            catch
            {
                _arenas.Dispose();
                throw;
            }
        }
        else GC.SuppressFinalize(this); // nothing but the team needs the finalizer: arenas and models have their own
    }

    /// <summary>Stops the worker threads of a session its owner did not dispose.</summary>
    ~InferenceSession() => _team?.Dispose();

    /// <summary>The most <see cref="SessionOptions.Threads"/> a session takes.</summary>
    public const int MaxThreads = 256;

    /// <summary>The threads one run uses (<see cref="SessionOptions.Threads"/>).</summary>
    public int Threads => _team?.Threads ?? 1;

    /// <summary>How many times the workers have been given work: a batch's parts, or a layer's.</summary>
    internal long WorkerRuns => _team?.Runs ?? 0;

    /// <summary>Loads a model file by memory-mapping it; panel-16 weights are used in place, row-major ones packed at load.
    /// The session reads the file's pages while it runs: replace the file by renaming a new one over it (the session keeps
    /// the old one), never by rewriting or truncating it in place, which the operating system answers with SIGBUS or an
    /// access violation that ends the process. Where files are rewritten in place, load them with
    /// <see cref="Load(ReadOnlySpan{byte}, SessionOptions?)"/> (<c>File.ReadAllBytes</c>) instead, which keeps a copy.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid model.</exception>
    /// <exception cref="FileNotFoundException">No file is at <paramref name="path"/>.</exception>
    /// <exception cref="IO.FilePathException"><paramref name="path"/> is a folder (an <see cref="IOException"/>).</exception>
    public static InferenceSession Load(string path, SessionOptions? options = null) =>
        Own(ModelReader.Load(path), options);

    /// <summary>Loads a model from a stream (read once into aligned memory).</summary>
    /// <exception cref="ModelFormatException">The stream does not hold a valid model.</exception>
    public static InferenceSession Load(Stream stream, SessionOptions? options = null) =>
        Own(ModelReader.Load(stream), options);

    /// <summary>Loads a model from bytes (copied once into aligned memory).</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid model.</exception>
    public static InferenceSession Load(ReadOnlySpan<byte> bytes, SessionOptions? options = null) =>
        Own(ModelReader.Load(bytes), options);

    /// <summary>The model this session runs.</summary>
    public Model Model { get; }

    /// <summary>Floats in one input sample.</summary>
    public int InputLength => Model.InputShape.ElementCount;

    /// <summary>Floats in one output sample.</summary>
    public int OutputLength => Model.OutputShape.ElementCount;

    /// <summary>The largest batch run in one pass; larger batches are split.</summary>
    public int MaxBatchSize => _plan.MaxBatchSize;

    /// <summary>Bytes of activation and scratch memory one arena holds (one per concurrent run).</summary>
    public long ArenaBytes => _plan.ArenaBytes;

    /// <summary>The <see cref="ArenaBytes"/> a session for <paramref name="model"/> with batches of up to
    /// <paramref name="maxBatchSize"/> samples would have, found without allocating any arena: a caller can check that
    /// its concurrent runs fit in memory before it creates the session.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The maximum batch size is not positive, or above
    /// <see cref="LargestBatchSizeFor"/>.</exception>
    /// <exception cref="NotSupportedException">The model holds a layer kind this runtime cannot run.</exception>
    public static long ArenaBytesFor(Model model, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        return MemoryPlan.Build(model, maxBatchSize).ArenaBytes;
    }

    /// <summary>The largest <see cref="SessionOptions.MaxBatchSize"/> a session for <paramref name="model"/> can take: a
    /// pass's activations and scratch memory are each one span, so a pass holds at most 2^31-1 floats of either.</summary>
    /// <exception cref="NotSupportedException">The model holds a layer kind this runtime cannot run, or buffers too
    /// large for even one sample.</exception>
    public static int LargestBatchSizeFor(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return MemoryPlan.Build(model, 1).LargestBatchSize;
    }

    /// <summary>The <see cref="SessionOptions.MaxBatchSize"/> for a session that runs passes of up to <paramref name="samples"/>:
    /// that many, or <see cref="LargestBatchSizeFor"/> when the model takes fewer in one pass. A tool that knows how many
    /// samples it will run sizes its arena by this rather than by the default, which a model with large activations may
    /// not fit in memory (or in one pass) while one sample does.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is not positive.</exception>
    /// <exception cref="NotSupportedException">As for <see cref="LargestBatchSizeFor"/>.</exception>
    public static int FittingBatchSize(Model model, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        return Math.Min(samples, LargestBatchSizeFor(model));
    }

    /// <summary>How many of <paramref name="remaining"/> samples a run takes in its next pass: as many as fit in one pass of
    /// <see cref="MaxBatchSize"/> (and <paramref name="largest"/>), but one fewer where that would leave a last pass of one
    /// sample while this one keeps two or more. A lone sample runs the GEMV, whose sums round differently from the GEMM's;
    /// so that every sample of a batch is computed the same way however the batch is cut into passes and parts, no pass
    /// leaves one sample behind. A run of its own passes, each one such pass (<see cref="RunPixels"/>, converting one pass of
    /// pixels at a time), gets the outputs of one run of the whole batch, bit for bit (with a <paramref name="largest"/> of 1
    /// or 2 below <see cref="MaxBatchSize"/>, lone samples may differ).</summary>
    /// <param name="remaining">The samples still to run, at least 1.</param>
    /// <param name="largest">The most samples the caller can hand over at once, when fewer than <see cref="MaxBatchSize"/>.</param>
    internal int PassLength(int remaining, int largest = int.MaxValue)
    {
        int count = Math.Min(Math.Min(MaxBatchSize, largest), remaining);
        return remaining - count == 1 && count > 2 ? count - 1 : count;
    }

    /// <summary>The steps of the plan, in order: layers fused with a following ReLU count as one step.</summary>
    public IReadOnlyList<SessionStep> Steps { get; }

    /// <summary>Runs one sample.</summary>
    /// <exception cref="ArgumentException">A span does not have the model's input or output length.</exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output) => Run(input, output, 1);

    /// <summary>Runs <paramref name="batchSize"/> samples stored one after another in <paramref name="input"/>,
    /// writing their outputs one after another into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The spans do not hold batchSize × input (output) length floats.</exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output, int batchSize) =>
        RunCore(input, output, batchSize, Span<long>.Empty);

    /// <summary>Runs like <see cref="Run(ReadOnlySpan{float}, Span{float}, int)"/> and adds the elapsed
    /// <see cref="Stopwatch"/> ticks of each step to <paramref name="stepTicks"/> (one entry per <see cref="Steps"/> item).</summary>
    public void RunProfiled(ReadOnlySpan<float> input, Span<float> output, int batchSize, Span<long> stepTicks)
    {
        if (stepTicks.Length != Steps.Count)
            throw new ArgumentException($"Expected one tick counter per step ({Steps.Count}), got {stepTicks.Length}.", nameof(stepTicks));
        RunCore(input, output, batchSize, stepTicks);
    }

    /// <summary>Refuses new runs, waits for the runs in progress on other threads to return, then frees the arenas and the
    /// worker threads, and the model when the session owns it. A model the session does not own must outlive it: dispose the
    /// session first.</summary>
    public void Dispose()
    {
        if (!_calls.Close()) return;
        GC.SuppressFinalize(this);
        _team?.Dispose();
        _arenas.Dispose();
        if (_ownsModel) Model.Dispose();
    }

    private static InferenceSession Own(Model model, SessionOptions? options)
    {
        try
        {
            return new InferenceSession(model, options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void RunCore(ReadOnlySpan<float> input, Span<float> output, int batchSize, Span<long> stepTicks)
    {
        RequireLengths(input.Length, nameof(input), "floats", output.Length, batchSize);
        Enter();
        try
        {
            RunEntered(input, output, batchSize, stepTicks);
        }
        finally
        {
            _calls.Leave();
        }
    }

    /// <summary>Refuses a batch size below 1, and an input of <paramref name="inputLength"/> <paramref name="unit"/> or an
    /// output of <paramref name="outputLength"/> floats that do not hold <paramref name="batchSize"/> samples.</summary>
    private void RequireLengths(int inputLength, string inputName, string unit, int outputLength, int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        if (inputLength != (long)batchSize * InputLength)
            throw new ArgumentException($"Input length {inputLength} does not match batch {batchSize} × {InputLength} {unit} per sample ({Model.InputShape}).", inputName);
        if (outputLength != (long)batchSize * OutputLength)
            throw new ArgumentException($"Output length {outputLength} does not match batch {batchSize} × {OutputLength} floats per sample.", "output");
    }

    /// <summary>Counts a run in (<see cref="CallGate"/>), or refuses it once <see cref="Dispose"/> has begun.</summary>
    private void Enter()
    {
        if (!_calls.TryEnter()) throw new ObjectDisposedException(nameof(InferenceSession), "The session was disposed: create a new one to run the model.");
    }

    /// <summary>Runs a checked batch inside a call <see cref="Enter"/> counted.</summary>
    private void RunEntered(ReadOnlySpan<float> input, Span<float> output, int batchSize, Span<long> stepTicks)
    {
        // A profiled run times each step of one pass, so it never splits its batch; it may split its layers.
        int parts = stepTicks.IsEmpty ? PartsFor(batchSize) : 1;
        if ((parts > 1 || SplitsLayers(batchSize)) && _team!.TryAcquire())
        {
            try
            {
                if (parts == 1)
                {
                    RunSlice(input, output, batchSize, stepTicks, _splitKernels!);
                    return;
                }
                fixed (float* x = input)
                fixed (float* y = output)
                {
                    _teamInput = x;
                    _teamOutput = y;
                    _teamBatch = batchSize;
                    _team.Run(parts, _runBatchPart!);
                }
            }
            finally
            {
                _team.Release();
            }
            return;
        }
        RunSlice(input, output, batchSize, stepTicks, _kernels);
    }

    /// <summary>Whether a run of <paramref name="batchSize"/> samples that is not split into parts has a layer large enough
    /// to split across the workers (<see cref="SplitKernelRunner"/>); else it leaves the team to other callers.</summary>
    internal bool SplitsLayers(int batchSize) =>
        _team is not null && batchSize * _largestLayerMultiplyAccumulates >= 2 * _split.KernelMultiplyAccumulatesPerPart;

    /// <summary>How many parts a run of <paramref name="batchSize"/> samples is split into: one per thread, two samples at
    /// least and <see cref="SplitThresholds.BatchMultiplyAccumulatesPerPart"/> each. Never one sample: that would take the single-sample
    /// kernels, whose last bits differ, and a split run computes bit for bit what the caller alone computes.</summary>
    internal int PartsFor(int batchSize) => _team is null ? 1
        : (int)Math.Clamp(batchSize * _multiplyAccumulates / _split.BatchMultiplyAccumulatesPerPart, 1, Math.Max(1, Math.Min(_team.Threads, batchSize / 2)));

    /// <summary>Part <paramref name="part"/> of the team's batch: the samples from part × batch / parts up to the next part's,
    /// each boundary rounded down to an even sample, so that with a <see cref="MaxBatchSize"/> of 2 no part but the last ends
    /// in a pass of one sample (as one thread's run of an odd batch ends with one). Parts keep at least two samples.</summary>
    private void RunTeamPart(int part, int parts)
    {
        int start = Boundary(part, parts), end = part + 1 == parts ? _teamBatch : Boundary(part + 1, parts);
        int count = end - start;
        RunSlice(new ReadOnlySpan<float>(_teamInput + (long)start * InputLength, count * InputLength),
            new Span<float>(_teamOutput + (long)start * OutputLength, count * OutputLength), count, Span<long>.Empty, _kernels);
    }

    private int Boundary(int part, int parts) => (int)((long)part * _teamBatch / parts) & ~1;

    /// <summary>Runs <paramref name="batchSize"/> samples from the calling thread, in passes of up to <see cref="MaxBatchSize"/>
    /// (of at least 2 samples, where <see cref="MaxBatchSize"/> is 3 or more), the layers' kernels run by <paramref name="kernels"/>.</summary>
    private void RunSlice(ReadOnlySpan<float> input, Span<float> output, int batchSize, Span<long> stepTicks, KernelRunner kernels)
    {
        Arena arena = _arenas.Rent();
        try
        {
            for (int start = 0, count; start < batchSize; start += count)
            {
                count = PassLength(batchSize - start);
                RunPass(input.Slice(start * InputLength, count * InputLength),
                        output.Slice(start * OutputLength, count * OutputLength), count, arena, stepTicks, kernels);
            }
        }
        finally
        {
            _arenas.Return(arena);
        }
    }

    private void RunPass(ReadOnlySpan<float> input, Span<float> output, int batch, Arena arena, Span<long> stepTicks, KernelRunner kernels)
    {
        Span<float> scratch = arena.Scratch;
        IReadOnlyList<PlanStep> steps = _plan.Steps;
        for (int s = 0; s < steps.Count; s++)
        {
            PlanStep step = steps[s];
            ReadOnlySpan<float> source = Read(step.Source, input, arena, batch * step.InputLength);
            Span<float> destination = step.Destination == BufferLocation.Output ? output : arena.Buffer(step.Destination.Buffer)[..(batch * step.OutputLength)];
            long started = stepTicks.IsEmpty ? 0 : Stopwatch.GetTimestamp();
            if (step.Operand is { } operand) // an Add, a Concat or a ChannelScale
                ((JoinExecutor)step.Executor).Execute(source, Read(operand, input, arena, batch * step.OperandLength), destination, batch, kernels);
            else
                step.Executor.Execute(source, destination, batch, scratch, kernels);
            if (!stepTicks.IsEmpty) stepTicks[s] += Stopwatch.GetTimestamp() - started;
        }
    }

    private static ReadOnlySpan<float> Read(BufferLocation location, ReadOnlySpan<float> input, Arena arena, int length) =>
        location == BufferLocation.Input ? input : arena.Buffer(location.Buffer)[..length];
}
