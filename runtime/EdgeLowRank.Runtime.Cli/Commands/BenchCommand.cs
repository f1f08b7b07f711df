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
    /// <summary>Benchmarks a model: load time, first inference, latency percentiles, throughput, memory, CPU and board state.
    /// The first Ctrl+C or SIGTERM stops it after the run it is making and prints the report over the runs measured (exit code 130 or 143).</summary>
    /// <param name="model">The .elr model file.</param>
    /// <param name="batch">-b, Samples per inference.</param>
    /// <param name="threads">-t, Threads running inferences concurrently on one shared session.</param>
    /// <param name="runThreads">Threads one inference uses (the session's worker threads): its batch is split into parts of samples, or, for a batch too small for that (one image), each large layer: a matrix product by output columns or rows, a depthwise convolution by output rows, a map, Add, ChannelScale or pooling by runs of elements, pixels or channels.</param>
    /// <param name="warmup">Warm-up inferences per thread before measuring.</param>
    /// <param name="warmupSeconds">Keep warming up at least this long (a board's clock needs time to settle).</param>
    /// <param name="runs">-n, Measured inferences per thread (not with --duration).</param>
    /// <param name="duration">-d, Measure for this many seconds instead of a fixed number of runs.</param>
    /// <param name="minSeconds">With --runs, keep measuring until at least this many seconds have passed (as benchmark_model's --min_secs); 0.5 or more lets the report measure other processes' load.</param>
    /// <param name="kernel">Kernel path: auto, scalar, vector128, vector256 or vector512.</param>
    /// <param name="perLayer">Also time each step of the plan.</param>
    /// <param name="json">Print JSON instead of a table.</param>
    /// <param name="seed">Seed of the random input data.</param>
    public int Bench([Argument] string model, int batch = 1, int threads = 1, int warmup = 200, double warmupSeconds = 0.5,
        int runs = 5000, double? duration = null, double minSeconds = 0, string kernel = "auto", bool perLayer = false, bool json = false, int seed = 1, int runThreads = 1) => Guard.Run(() =>
    {
        var settings = new BenchSettings(batch, threads, warmup, warmupSeconds, runs, duration, ParseKernel(kernel), perLayer, seed, runThreads, minSeconds);
        settings.Validate();
        long fileBytes = new FileInfo(FilePaths.RequireInput(model, "MODEL")).Length;
        // From here until the report is written the first Ctrl+C or SIGTERM stops the runs, not the process; a second one ends it at once.
        BenchReport report;
        using (StopRequest.Accept())
        {
            report = BenchRunner.Run(model, fileBytes, settings, () => StatusLine.Write(settings.Duration is double seconds
                ? $"measuring for {Units.Fixed(seconds, "0.##")} s; Ctrl+C stops and reports the runs measured so far"
                : $"measuring {Units.Count(settings.Runs)} runs{(settings.Threads > 1 ? " per thread" : "")}{settings.AtLeast}; Ctrl+C stops and reports the runs measured so far"),
                // The per-layer timing can take as long again: say so, or a quiet terminal reads as a hang.
                runs => StatusLine.Write($"timing each layer over {Units.Count(runs)} more run{(runs == 1 ? "" : "s")}; Ctrl+C stops and reports the latencies with the layer means so far"));
            // Rendered whole, then written with one call: a second Ctrl+C can land inside that write, but not between parts of the report.
            if (json) BenchReportWriter.WriteJson(report);
            else Console.Write(BenchReportWriter.Render(report));
        }
        // After the report, so it is the last line seen; on stderr, so --json stays one document.
        if (report.OtherProcesses?.Warning("during the timed runs") is string warning) StatusLine.Write(warning);
        // A signal that came after the last run cut nothing short: the report is whole, and so is the success.
        if (report.InterruptedBy is not StopSignal signal) return ExitCodes.Ok;
        StatusLine.Write($"{signal.Ended}: the report covers the runs measured before {signal.Name}");
        return signal.ExitCode;
    });

    private static KernelPath ParseKernel(string name) => name.ToLowerInvariant() switch
    {
        "auto" => KernelPath.Auto,
        "scalar" => KernelPath.Scalar,
        "vector128" => KernelPath.Vector128,
        "vector256" => KernelPath.Vector256,
        "vector512" => KernelPath.Vector512,
        _ => throw new CliException($"--kernel must be auto, scalar, vector128, vector256 or vector512, not '{name}'.", ExitCodes.Usage),
    };
}
