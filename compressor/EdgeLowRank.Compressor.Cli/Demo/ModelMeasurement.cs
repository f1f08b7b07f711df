using System.Diagnostics;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Compressor.Cli.Demo;

/// <summary>What the demo measures of one model file, with the runtime that will run it on the board.</summary>
/// <param name="FileBytes">The .elr file's size.</param>
/// <param name="Parameters">Stored parameters.</param>
/// <param name="MultiplyAccumulates">Per sample.</param>
/// <param name="MedianSeconds">Batch-1 latency, median.</param>
/// <param name="P99Seconds">Batch-1 latency, 99th percentile.</param>
/// <param name="InferencesPerSecond">Batch-1 inferences per second over the timed runs.</param>
/// <param name="MemoryBytes">What the model holds while it runs one sample at a time: the mapped file, the weights packed at load (row-major in the file) and its batch-1 arena.</param>
internal sealed record ModelMeasurement(long FileBytes, long Parameters, long MultiplyAccumulates, double MedianSeconds, double P99Seconds,
    double InferencesPerSecond, long MemoryBytes)
{
    /// <summary>Loads <paramref name="path"/> into an <see cref="InferenceSession"/>, warms it up, and times
    /// <paramref name="runs"/> single-sample inferences on <paramref name="samples"/> (cycled).</summary>
    public static ModelMeasurement Measure(string path, ReadOnlySpan<float> samples, int runs = 20_000)
    {
        // Sized for the one sample it runs, so the arena in MemoryBytes is the batch-1 arena the latencies are measured with (the
        // default, 64 samples, more than doubled it for LeNet-300-100), as elr-run bench reports it.
        using var session = InferenceSession.Load(path, new SessionOptions { MaxBatchSize = 1 });
        int count = samples.Length / session.InputLength;
        var output = new float[session.OutputLength];
        // Half a second at least, as elr-run bench warms up: the JIT optimizes a method only after it has been called for a
        // while, and a fixed 2,000 runs (6 ms of the int8 model) timed its kernels half-optimized (3.4–4.0 µs against
        // elr-run bench's 2.09).
        long warmup = Stopwatch.GetTimestamp();
        for (int i = 0; i < 2_000 || Stopwatch.GetElapsedTime(warmup) < WarmupTime; i++)
            session.Run(Sample(samples, session.InputLength, i % count), output);

        var seconds = new double[runs];
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            session.Run(Sample(samples, session.InputLength, i % count), output);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        double total = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Array.Sort(seconds);
        long fileBytes = new FileInfo(path).Length;
        return new ModelMeasurement(fileBytes, session.Model.ParameterCount, session.Model.MultiplyAccumulates,
            seconds[runs / 2], seconds[(int)(runs * 0.99)], runs / total, fileBytes + session.Model.PackedAtLoadBytes + session.ArenaBytes);
    }

    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(0.5);

    private static ReadOnlySpan<float> Sample(ReadOnlySpan<float> samples, int length, int index) => samples.Slice(index * length, length);
}
