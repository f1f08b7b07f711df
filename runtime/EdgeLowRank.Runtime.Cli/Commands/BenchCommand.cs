using ConsoleAppFramework;
using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>`elr-run bench`: latency, throughput and memory of a model on this machine.</summary>
internal sealed class BenchCommand
{
    /// <summary>Benchmarks a model: load time, first inference, latency percentiles, throughput, memory, CPU and board state.</summary>
    /// <param name="model">The .elr model file.</param>
    /// <param name="batch">-b, Samples per inference.</param>
    /// <param name="threads">-t, Threads running inferences concurrently on one shared session.</param>
    /// <param name="warmup">Warm-up inferences per thread before measuring.</param>
    /// <param name="warmupSeconds">Keep warming up at least this long (a board's clock needs time to settle).</param>
    /// <param name="runs">-n, Measured inferences per thread (ignored when --duration is set).</param>
    /// <param name="duration">-d, Measure for this many seconds instead of a fixed number of runs.</param>
    /// <param name="kernel">Kernel path: auto, scalar, vector128 or vector256.</param>
    /// <param name="perLayer">Also time each step of the plan.</param>
    /// <param name="json">Print JSON instead of a table.</param>
    /// <param name="seed">Seed of the random input data.</param>
    public int Bench([Argument] string model, int batch = 1, int threads = 1, int warmup = 200, double warmupSeconds = 0.5,
        int runs = 5000, double duration = 0, string kernel = "auto", bool perLayer = false, bool json = false, int seed = 1) => Guard.Run(() =>
    {
        var settings = new BenchSettings(batch, threads, warmup, warmupSeconds, runs, duration, ParseKernel(kernel), perLayer, seed);
        settings.Validate();
        long fileBytes = new FileInfo(FilePaths.RequireInput(model, "MODEL")).Length;
        BenchReport report = BenchRunner.Run(model, fileBytes, settings);
        if (json) BenchReportWriter.WriteJson(report);
        else Console.Write(BenchReportWriter.Render(report));
        return ExitCodes.Ok;
    });

    private static KernelPath ParseKernel(string name) => name.ToLowerInvariant() switch
    {
        "auto" => KernelPath.Auto,
        "scalar" => KernelPath.Scalar,
        "vector128" => KernelPath.Vector128,
        "vector256" => KernelPath.Vector256,
        _ => throw new CliException($"--kernel must be auto, scalar, vector128 or vector256, not '{name}'.", ExitCodes.Usage),
    };
}

/// <summary>The validated options of one benchmark.</summary>
internal sealed record BenchSettings(int Batch, int Threads, int Warmup, double WarmupSeconds, int Runs, double Duration,
    KernelPath Kernel, bool PerLayer, int Seed)
{
    /// <summary>The largest batch: its inputs and outputs are allocated per thread, and a LeNet-5 batch this size already takes 200 MB.</summary>
    public const int MaxBatch = 65_536;

    public void Validate()
    {
        if (Batch is < 1 or > MaxBatch) throw Usage($"--batch must be between 1 and {MaxBatch:N0}, not {Batch:N0}");
        if (Threads < 1 || Threads > 256) throw Usage($"--threads must be between 1 and 256, not {Threads}");
        if (Warmup < 0) throw Usage($"--warmup must be 0 or more, not {Warmup}");
        if (!(WarmupSeconds >= 0) || WarmupSeconds > 3600) throw Usage($"--warmup-seconds must be between 0 and 3600, not {WarmupSeconds}");
        if (Runs < 1) throw Usage($"--runs must be at least 1, not {Runs}");
        if (!(Duration >= 0) || Duration > 86400) throw Usage($"--duration must be between 0 and 86400 seconds, not {Duration}");
        if (Kernel == KernelPath.Vector256 && !System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            throw Usage("--kernel vector256 needs 256-bit SIMD, which this binary cannot use here (publish with -p:IlcInstructionSet=x86-64-v3 on an AVX2 machine)");
    }

    private static CliException Usage(string message) => new(message + ".", ExitCodes.Usage);
}
