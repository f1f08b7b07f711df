using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>
/// The memory a benchmark holds while it measures: per thread, an arena of the session and one batch of inputs and
/// outputs, and an arena more for each worker of the session (--run-threads). It is checked before any of it is
/// allocated, and named when the allocation fails anyway (under a `ulimit -v`): a batch and thread count too large for
/// the machine are options to lower, not a bug of elr-run.
/// </summary>
/// <param name="Settings">The benchmark's options.</param>
/// <param name="SessionBatch">The largest batch the session runs in one pass, which sizes its arenas.</param>
/// <param name="ArenaBytes">Bytes of one arena.</param>
/// <param name="BufferBytes">Bytes of one thread's inputs and outputs.</param>
internal sealed record BenchMemory(BenchSettings Settings, int SessionBatch, long ArenaBytes, long BufferBytes)
{
    /// <summary>What <paramref name="settings"/> need for <paramref name="model"/> run in passes of up to <paramref name="sessionBatch"/> samples.</summary>
    public static BenchMemory Of(Model model, BenchSettings settings, int sessionBatch) =>
        new(settings, sessionBatch, InferenceSession.ArenaBytesFor(model, sessionBatch),
            (long)settings.Batch * (model.InputShape.ElementCount + model.OutputShape.ElementCount) * sizeof(float));

    /// <summary>Bytes of all threads' arenas, inputs and outputs.</summary>
    public long TotalBytes => Arenas * ArenaBytes + Settings.Threads * BufferBytes;

    /// <summary>Arenas held at once: one per thread running inferences, and one per worker of the session's team, which
    /// one run at a time uses.</summary>
    public int Arenas => Settings.Threads + Settings.RunThreads - 1;

    /// <summary>Throws a usage error (exit code 1) when the total is more than this process may use: the machine's memory,
    /// or the GC heap limit .NET derives from a container's (75% of it by default). The arenas are native memory, outside
    /// that heap, so in a container the check is a little strict; it is meant for the far larger requests that, allocated
    /// anyway, would be touched page by page until the kernel killed the process without a word.</summary>
    public void RequireAvailable()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (TotalBytes > available)
            throw new CliException(Needs($"this process may use {Units.Bytes(available)} (the memory .NET finds for it: the machine's, "
                + "or the limit of a container or of DOTNET_GCHeapHardLimit)"), ExitCodes.Usage);
    }

    /// <summary>Runs <paramref name="allocate"/>, which allocates this memory; when it runs out, throws an
    /// <see cref="InsufficientMemoryException"/> saying what was needed, which <see cref="Guard"/> prints as it is.</summary>
    public T Allocate<T>(Func<T> allocate)
    {
        try
        {
            return allocate();
        }
        catch (OutOfMemoryException e)
        {
            throw new InsufficientMemoryException(Needs("but allocating it failed: the process may use less than that (a ulimit -v, or other programs' memory)"), e);
        }
    }

    private string Needs(string limit) =>
        $"--batch {Settings.Batch:N0} on --threads {Settings.Threads}{(Settings.RunThreads > 1 ? $" with --run-threads {Settings.RunThreads}" : "")} "
        + $"needs {Units.Bytes(TotalBytes)}: {Arenas} arena{(Arenas == 1 ? "" : "s")} of {Units.Bytes(ArenaBytes)} (for runs of up to "
        + $"{SessionBatch:N0} samples) and, per thread, {Units.Bytes(BufferBytes)} of inputs and outputs; {limit}. "
        + (Settings.Batch == 1 && Settings.Threads == 1 && Settings.RunThreads == 1
            ? "One sample of this model needs that much: it is too large for this machine (elr-run info shows its activation memory)."
            : $"Lower --batch{(Settings.RunThreads > 1 ? ", --threads or --run-threads" : " or --threads")}.");
}
