using ConsoleAppFramework;
using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Runtime.Cli.Profiling;
using EdgeLowRank.Runtime.Cli.Reporting;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Commands;

/// <summary>`elr-run profile`: a latency table of this machine for the compressor's latency criterion.</summary>
internal sealed class ProfileCommand
{
    /// <summary>Measures dense and factorized dense and convolution layers over a grid of shapes and ranks and writes a latency table (JSON).</summary>
    /// <param name="output">-o, The latency table to write (JSON), e.g. board.json.</param>
    /// <param name="batch">-b, Samples per inference the table is for.</param>
    /// <param name="runs">-n, Timed samples per point, each of as many calls as last 20 µs (the median is kept).</param>
    /// <param name="warmup">Untimed runs per point before timing.</param>
    /// <param name="quick">A smaller grid (for tests and a first look).</param>
    /// <param name="model">-m, A model (.elr) whose convolutions to measure too, at their own image size, stride and padding: the network you will compress, when the grid lacks its convolution shapes.</param>
    public int Profile(string output, int batch = 1, int runs = 200, int warmup = 50, bool quick = false, string? model = null) => Guard.Run(() =>
    {
        if (batch < 1 || batch > 1024) throw new CliException($"--batch must be 1 to 1024, not {batch}.", ExitCodes.Usage);
        if (runs < 5) throw new CliException($"--runs must be at least 5 (a median needs samples), not {runs}.", ExitCodes.Usage);
        if (warmup < 0) throw new CliException($"--warmup must be 0 or more, not {warmup}.", ExitCodes.Usage);
        // The path first, as run --output does: a folder (`-o .`) is a file error, whatever its name.
        FilePaths.RequireOutput(output, "--output");
        if (!output.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"--output: the latency table is JSON; give a name ending in .json, not '{output}'.", ExitCodes.Usage);

        var grid = quick ? ProfileGrid.Quick : ProfileGrid.Full;
        string added = "";
        if (model is not null)
        {
            FilePaths.RequireInput(model, "--model");
            using Model network = ModelReader.Load(model);
            ProfileGrid withModel = grid.WithConvolutionsOf(network);
            int count = withModel.Convolutions.Length - grid.Convolutions.Length;
            added = count > 0 ? $", with {count} convolution shape{(count == 1 ? "" : "s")} of {model}"
                : $"; {model}'s convolutions are in the grid already, or it has none (its dense layers are interpolated over the grid)";
            grid = withModel;
        }
        var profiler = new LayerProfiler(batch, runs, warmup);
        CpuSnapshot? cpuBefore = CpuSnapshot.Take();
        // A progress line only on a terminal: redirected, it would fill a log with carriage returns.
        LatencyTable table = profiler.Measure(grid, progress: (done, total) =>
        {
            if (!Console.IsErrorRedirected) Console.Error.Write(done == total ? "\r\e[K" : $"\rprofiling {done}/{total} layer shapes");
        });
        CpuContention? contention = CpuContention.Between(cpuBefore, CpuSnapshot.Take());
        table = table with { OtherProcesses = contention };
        LatencyTableWriter.Write(table, output);
        Console.WriteLine($"wrote {output}: {table.Entries.Count} measurements (batch {batch}, median of {runs} samples each) on {table.Cpu}{added}"
            + (contention is null ? $"; other processes: {CpuContention.Absent}" : $"; other processes kept {contention.Describe("meanwhile")}"));
        if (contention?.Warning("during the profiling") is string warning) StatusLine.Write(warning);
        return ExitCodes.Ok;
    });
}
