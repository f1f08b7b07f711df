using System.Diagnostics;
using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>
/// The measurement itself: load, first inference, warm-up, then timed runs on one or more threads
/// sharing one session. Every buffer is allocated before the clock starts, and the managed bytes
/// each thread allocates while measuring are counted, to prove the hot path allocates nothing.
/// Each loop ends early at a <see cref="StopRequest"/> (Ctrl+C), after the run it is making, and the
/// phases after it are skipped: the report then covers the runs made and names the phase cut short.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Benchmarks the model at <paramref name="path"/>; <paramref name="onMeasuring"/> is called as the timed runs start,
    /// <paramref name="onTimingLayers"/> with the number of runs the per-layer timing will make as it starts (--per-layer).</summary>
    public static BenchReport Run(string path, long fileBytes, BenchSettings settings, Action onMeasuring, Action<int> onTimingLayers)
    {
        DateTime started = DateTime.UtcNow;
        // Opened with the model, hashed after the runs: the digest is of the file loaded even if it is replaced meanwhile
        // (writers rename a new file over it), and reading it through the hash touches neither the load time nor the caches
        // of the first inference and the timed runs.
        using var modelFile = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long loadStart = Stopwatch.GetTimestamp();
        using Model model = ModelReader.Load(path);
        var options = new SessionOptions { MaxBatchSize = Math.Min(settings.Batch, 1024), KernelPath = settings.Kernel, ConcurrentRuns = settings.Threads, Threads = settings.RunThreads };
        BenchMemory memory = BenchMemory.Of(model, settings, options.MaxBatchSize);
        memory.RequireAvailable();
        using InferenceSession session = memory.Allocate(() => new InferenceSession(model, options));
        double loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;

        var workers = memory.Allocate(() => Enumerable.Range(0, settings.Threads).Select(t => new Worker(session, settings, t)).ToArray());
        double firstSeconds = workers[0].RunOnce();

        BoardSensors before = BoardSensors.Read();
        var warmupClock = Stopwatch.StartNew();
        RunAll(workers, w => w.WarmUp());
        double warmupSeconds = warmupClock.Elapsed.TotalSeconds;
        BenchPhase? interrupted = StopRequest.IsRequested ? BenchPhase.WarmUp : null;

        double measuredSeconds = 0;
        CpuContention? contention = null;
        string? notMeasured = "no timed runs";
        if (interrupted is null)
        {
            onMeasuring();
            CpuSnapshot? cpuBefore = CpuSnapshot.Take();
            var measureClock = Stopwatch.StartNew();
            RunAll(workers, w => w.Measure());
            measuredSeconds = measureClock.Elapsed.TotalSeconds;
            CpuSnapshot? cpuAfter = CpuSnapshot.Take();
            contention = CpuContention.Between(cpuBefore, cpuAfter);
            notMeasured = contention is null ? WhyNoContention(cpuBefore is not null && cpuAfter is not null, measuredSeconds, settings) : null;
            if (StopRequest.IsRequested) interrupted = BenchPhase.Measurement;
        }
        BoardSensors after = BoardSensors.Read();

        var latency = new LatencyRecorder();
        foreach (var w in workers) latency.Merge(w.Latency);
        long inferences = workers.Sum(w => w.Latency.Count);
        double allocated = workers.Sum(w => (double)w.AllocatedBytes) / Math.Max(1, inferences);
        (IReadOnlyList<(SessionStep, double)> perLayer, int perLayerRuns) = settings.PerLayer && interrupted is null ? PerLayer(session, workers[0], onTimingLayers) : ([], 0);
        if (settings.PerLayer && interrupted is null && StopRequest.IsRequested) interrupted = BenchPhase.PerLayer;

        return new BenchReport
        {
            ElrRunVersion = BuildInfo.InformationalVersion,
            StartedUtc = started,
            ModelSha256 = Sha256.Hex(modelFile),
            ModelPath = path,
            ModelBytes = fileBytes,
            Parameters = session.Model.ParameterCount,
            MultiplyAccumulates = session.Model.MultiplyAccumulates,
            Settings = settings,
            LoadSeconds = loadSeconds,
            FirstInferenceSeconds = firstSeconds,
            WarmupRuns = workers.Sum(w => w.WarmupRuns),
            WarmupSeconds = warmupSeconds,
            Latency = latency,
            MeasuredSeconds = measuredSeconds,
            InferencesPerSecond = inferences * settings.Batch / measuredSeconds,
            ArenaBytes = session.ArenaBytes,
            PackedWeightBytes = session.Model.PackedAtLoadBytes,
            ManagedBytesPerInference = allocated,
            PeakResidentBytes = ProcessMemory.PeakResidentBytes(),
            BuiltFor = InstructionSets.BuiltFor(),
            InstructionsUsed = InstructionSets.Used(),
            Cpu = CpuDescription.Read(),
            SensorsBefore = before,
            SensorsAfter = after,
            OtherProcesses = contention,
            OtherProcessesNotMeasured = notMeasured,
            PerLayer = perLayer,
            PerLayerRuns = perLayerRuns,
            InterruptedDuring = interrupted,
            InterruptedBy = interrupted is null ? null : StopRequest.Signal,
        };
    }

    /// <summary>Why <see cref="CpuContention.Between"/> gave no measure: /proc/stat unread, or timed runs shorter than the
    /// <see cref="CpuContention.MinimumSeconds"/> it needs (their own clock's reading, which the snapshots' interval holds),
    /// with the option that lengthens them.</summary>
    internal static string WhyNoContention(bool procStatRead, double measuredSeconds, BenchSettings settings)
    {
        if (!procStatRead) return "no /proc/stat (not Linux)";
        if (measuredSeconds >= CpuContention.MinimumSeconds) return "/proc/stat's counters did not advance";
        string longer = settings.Duration is null ? $"--min-seconds {CpuContention.MinimumSeconds} measures it" : $"a --duration of {CpuContention.MinimumSeconds} or more measures it";
        return $"the timed runs took {Units.Duration(measuredSeconds)}, under the {CpuContention.MinimumSeconds} s needed (/proc/stat counts in 10 ms ticks); {longer}";
    }

    private static void RunAll(Worker[] workers, Action<Worker> phase)
    {
        if (workers.Length == 1)
        {
            phase(workers[0]);
            return;
        }
        using var start = new Barrier(workers.Length);
        var threads = workers.Select(w => new Thread(() => { start.SignalAndWait(); phase(w); })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
    }

    /// <summary>Each step's mean seconds over as many runs as were measured, at most 2,000, and the runs made: fewer after
    /// Ctrl+C, none when it came first (no steps then).</summary>
    private static (IReadOnlyList<(SessionStep, double)>, int Runs) PerLayer(InferenceSession session, Worker worker, Action<int> onTimingLayers)
    {
        var ticks = new long[session.Steps.Count];
        int planned = (int)Math.Clamp(worker.Latency.Count, 1, 2000);
        onTimingLayers(planned);
        int runs = worker.Profile(ticks, planned);
        return runs == 0 ? ([], 0) : (session.Steps.Select((s, i) => (s, ticks[i] / (double)Stopwatch.Frequency / runs)).ToArray(), runs);
    }

    /// <summary>One thread's buffers and results.</summary>
    private sealed class Worker
    {
        private readonly InferenceSession _session;
        private readonly BenchSettings _settings;
        private readonly float[] _input;
        private readonly float[] _output;

        public Worker(InferenceSession session, BenchSettings settings, int index)
        {
            _session = session;
            _settings = settings;
            _input = new float[checked(settings.Batch * session.InputLength)];
            _output = new float[checked(settings.Batch * session.OutputLength)];
            var random = new Random(settings.Seed + index);
            for (int i = 0; i < _input.Length; i++) _input[i] = random.NextSingle();
        }

        public LatencyRecorder Latency { get; } = new();

        public long AllocatedBytes { get; private set; }

        public long WarmupRuns { get; private set; }

        public double RunOnce()
        {
            long start = Stopwatch.GetTimestamp();
            _session.Run(_input, _output, _settings.Batch);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public void WarmUp()
        {
            long start = Stopwatch.GetTimestamp();
            while (!StopRequest.IsRequested && (WarmupRuns < _settings.Warmup || Stopwatch.GetElapsedTime(start).TotalSeconds < _settings.WarmupSeconds))
            {
                _session.Run(_input, _output, _settings.Batch);
                WarmupRuns++;
            }
        }

        /// <summary>The timed runs: for --duration, or --runs and then more until --min-seconds have passed (the clock is read
        /// for that only once the runs are made).</summary>
        public void Measure()
        {
            long now = Stopwatch.GetTimestamp();
            long deadline = _settings.Duration is double seconds ? now + (long)(seconds * Stopwatch.Frequency) : long.MaxValue;
            long minimum = now + (long)(_settings.MinSeconds * Stopwatch.Frequency);
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (long n = 0; !StopRequest.IsRequested && (_settings.Duration is not null ? Stopwatch.GetTimestamp() < deadline
                : n < _settings.Runs || Stopwatch.GetTimestamp() < minimum); n++)
            {
                long start = Stopwatch.GetTimestamp();
                _session.Run(_input, _output, _settings.Batch);
                long end = Stopwatch.GetTimestamp();
                Latency.Add((end - start) / (double)Stopwatch.Frequency);
            }
            AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        }

        /// <summary>Adds <paramref name="runs"/> runs' step times to <paramref name="ticks"/> and returns the runs made (fewer after Ctrl+C).</summary>
        public int Profile(long[] ticks, int runs)
        {
            int n = 0;
            for (; n < runs && !StopRequest.IsRequested; n++) _session.RunProfiled(_input, _output, _settings.Batch, ticks);
            return n;
        }
    }
}
