using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>The validated options of one benchmark. <see cref="Duration"/> is null unless given: then <see cref="Runs"/>
/// inferences per thread are measured, and more until <see cref="MinSeconds"/> have passed (0: none more), else as many as
/// fit in the duration. <see cref="Threads"/> run inferences at
/// once; <see cref="RunThreads"/> is the session's <see cref="Execution.SessionOptions.Threads"/>, the threads one
/// inference uses. <see cref="PerLayer"/> times the steps of a run that never splits its batch, so with run threads the
/// times are those of the layers split across them.</summary>
internal sealed record BenchSettings(int Batch, int Threads, int Warmup, double WarmupSeconds, int Runs, double? Duration,
    KernelPath Kernel, bool PerLayer, int Seed, int RunThreads = 1, double MinSeconds = 0)
{
    /// <summary>The largest batch: its inputs and outputs are allocated per thread, and a LeNet-5 batch this size already takes 200 MB.</summary>
    public const int MaxBatch = 65_536;

    /// <summary>" and for at least 0.5 s" under --min-seconds, for the status line and the settings line; else nothing.</summary>
    public string AtLeast => MinSeconds > 0 ? $" and for at least {Reporting.Units.Fixed(MinSeconds, "0.##")} s" : "";

    /// <summary>Throws a usage error (exit code 1) for the first option out of range or not possible on this machine.</summary>
    public void Validate()
    {
        if (Batch is < 1 or > MaxBatch) throw Usage($"--batch must be between 1 and {MaxBatch:N0}, not {Batch:N0}");
        if (Threads < 1 || Threads > 256) throw Usage($"--threads must be between 1 and 256, not {Threads}");
        if (RunThreads < 1 || RunThreads > Execution.InferenceSession.MaxThreads)
            throw Usage($"--run-threads must be between 1 and {Execution.InferenceSession.MaxThreads}, not {RunThreads}");
        if (Warmup < 0) throw Usage($"--warmup must be 0 or more, not {Warmup}");
        if (!(WarmupSeconds >= 0) || WarmupSeconds > 3600) throw Usage($"--warmup-seconds must be between 0 and 3600, not {WarmupSeconds}");
        if (Runs < 1) throw Usage($"--runs must be at least 1, not {Runs}");
        // 0 once stood for "not given" and silently measured the default --runs instead.
        if (Duration is double seconds && !(seconds > 0 && seconds <= 86400))
            throw Usage($"--duration must be above 0 and at most 86400 seconds, not {seconds}; leave it out to measure --runs inferences instead");
        if (!(MinSeconds >= 0) || MinSeconds > 86400) throw Usage($"--min-seconds must be between 0 and 86400, not {MinSeconds}");
        if (Duration is not null && MinSeconds > 0)
            throw Usage("--min-seconds is only used with --runs, as the least time to measure them for, so it would change nothing beside --duration; give one of the two");
        // Checked here, not left to the session: an unaccelerated width is a wrong option for this machine
        // (exit 1), not a model the runtime cannot run (exit 2).
        if (!KernelPaths.IsSupported(Kernel))
            throw Usage($"--kernel {Kernel.ToString().ToLowerInvariant()} is not hardware-accelerated here (best available: {KernelPaths.Best.ToString().ToLowerInvariant()}); "
                + $"under NativeAOT the instruction set is fixed at publish time ({PublishHint(Kernel)})");
    }

    /// <summary>The publish that gives a NativeAOT binary <paramref name="kernel"/>'s width on x64; arm64 has only 128 bits.</summary>
    private static string PublishHint(KernelPath kernel) => kernel == KernelPath.Vector512
        ? "scripts/publish.sh linux-x64 x86-64-v4 enables vector512 on an AVX-512 machine"
        : "scripts/publish.sh linux-x64 x86-64-v3 enables vector256 on an AVX2 machine";

    private static CliException Usage(string message) => new(message + ".", ExitCodes.Usage);
}
