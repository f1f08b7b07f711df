using System.Diagnostics;
using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Profiling;

/// <summary>
/// Times single layers through a real <see cref="InferenceSession"/> (so dispatch and memory traffic
/// count, as in a model), each after a warm-up, keeping the median of many samples: the median ignores
/// the interruptions a shared or thermally throttled board produces. A sample times as many calls as
/// it takes to last 20 µs, so the smallest layers are resolved too.
/// </summary>
internal sealed class LayerProfiler(int batch, int runs, int warmup)
{
    /// <summary>Long enough that reading the clock (tens of nanoseconds) is a fraction of a percent of a sample, short
    /// enough that few samples span an interruption (the median discards those that do).</summary>
    private const double MinimumSampleSeconds = 20e-6;

    private readonly Random _random = new(1);

    public LatencyTable Measure(ProfileGrid grid, Action<int, int> progress)
    {
        var work = new List<Func<LatencyEntry>>();
        foreach (int rows in grid.DenseSides)
        foreach (int columns in grid.DenseSides)
        {
            work.Add(() => Dense(rows, columns));
            foreach (int rank in grid.Ranks.Where(r => r < Math.Min(rows, columns)))
                work.Add(() => FactorizedDense(rows, columns, rank));
        }
        foreach (ConvShape conv in grid.Convolutions)
        {
            work.Add(() => Convolution(conv, rank: 0));
            foreach (int rank in ConvolutionRanks(grid, conv))
                work.Add(() => Convolution(conv, rank));
        }

        var entries = new List<LatencyEntry>(work.Count);
        for (int i = 0; i < work.Count; i++)
        {
            entries.Add(work[i]());
            progress(i + 1, work.Count);
        }
        CpuDescription cpu = CpuDescription.Read();
        return new LatencyTable(cpu.Model, cpu.Board, InstructionSets.BuiltFor(), InstructionSets.Used(), batch, runs, DateTimeOffset.UtcNow, entries);
    }

    private LatencyEntry Dense(int rows, int columns) =>
        Time("dense", rows, columns, 0, 1, new TensorShape(rows), new DenseLayer(Matrix(rows, columns), Vector(columns), Activation.Relu));

    private LatencyEntry FactorizedDense(int rows, int columns, int rank) =>
        Time("factorized-dense", rows, columns, rank, 1, new TensorShape(rows),
            new FactorizedDenseLayer(Matrix(rows, rank), Matrix(rank, columns), Vector(columns), Activation.Relu, FactorizationMethod.Svd));

    /// <summary>
    /// The factorized ranks of a convolution: the grid's below min(rows, columns), and always rank 1 and min − 1. The
    /// compressor interpolates a convolution's time over its measured ranks only (it cannot borrow other shapes'), so the
    /// two ends make every rank it may choose an interpolation, even for layers narrower than the grid's second rank.
    /// </summary>
    private static IEnumerable<int> ConvolutionRanks(ProfileGrid grid, ConvShape conv)
    {
        int full = Math.Min(conv.PatchLength, conv.OutputChannels);
        return grid.Ranks.Where(r => r < full).Append(1).Append(full - 1).Where(r => r >= 1).Distinct().Order();
    }

    private LatencyEntry Convolution(ConvShape c, int rank)
    {
        var input = new TensorShape(c.Height, c.Width, c.InputChannels);
        ConvolutionGeometry geometry = c.Geometry;
        (int rows, _, int pixels) = c.CompressorKey;
        Layer layer = rank == 0
            ? new Conv2dLayer(Matrix(rows, c.OutputChannels), Vector(c.OutputChannels), c.InputChannels, geometry, Activation.Relu)
            : new FactorizedConv2dLayer(Matrix(rows, rank), Matrix(rank, c.OutputChannels), Vector(c.OutputChannels), c.InputChannels, geometry, Activation.Relu, FactorizationMethod.Svd);
        LatencyEntry entry = Time(rank == 0 ? "conv2d" : "factorized-conv2d", rows, c.OutputChannels, rank, pixels, input, layer);
        return entry with { Convolution = c };
    }

    private LatencyEntry Time(string kind, int rows, int columns, int rank, int pixels, TensorShape input, Layer layer)
    {
        using var model = new Model(input, [layer], new ModelMetadata());
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch });
        float[] x = Floats(batch * session.InputLength), y = new float[batch * session.OutputLength];
        for (int i = 0; i < warmup; i++) session.Run(x, y, batch);
        int calls = CallsPerSample(() => session.Run(x, y, batch));
        var seconds = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int call = 0; call < calls; call++) session.Run(x, y, batch);
            seconds[i] = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency / calls;
        }
        Array.Sort(seconds);
        return new LatencyEntry(kind, rows, columns, rank, pixels, seconds[runs / 2]);
    }

    /// <summary>
    /// How many calls one timed sample makes: the fewest (a power of two) that take <see cref="MinimumSampleSeconds"/>.
    /// A small layer runs in tens of nanoseconds, below what one clock reading resolves (and a TimeSpan's whole 100 ns
    /// ticks), so timing single calls gave it a median of 0 s, which the compressor rightly refuses as a measurement.
    /// </summary>
    private static int CallsPerSample(Action run)
    {
        const int mostCalls = 1 << 20;
        for (int calls = 1; ; calls *= 2)
        {
            long start = Stopwatch.GetTimestamp();
            for (int call = 0; call < calls; call++) run();
            if ((Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency >= MinimumSampleSeconds || calls >= mostCalls) return calls;
        }
    }

    private PackedMatrix Matrix(int rows, int columns) => PackedMatrix.FromRowMajor(Floats(rows * columns), rows, columns);

    private float[] Vector(int length) => Floats(length);

    private float[] Floats(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = _random.NextSingle() - 0.5f;
        return values;
    }
}
