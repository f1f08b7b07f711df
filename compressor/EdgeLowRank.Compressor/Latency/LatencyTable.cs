using System.IO.Hashing;
using System.Text.Json;
using EdgeLowRank.Compressor.IO;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Latency;

/// <summary>One measured layer of a board's latency table (written by `elr-run profile`).</summary>
/// <param name="Kind">"dense", "factorized-dense", "conv2d" or "factorized-conv2d".</param>
/// <param name="Inputs">The weight matrix's rows: inputs, or k·k·c_in for a convolution.</param>
/// <param name="Outputs">Its columns: outputs, or c_out.</param>
/// <param name="Rank">The factorized rank; 0 for a dense layer.</param>
/// <param name="OutputPixels">Output pixels of a convolution; 1 for a dense layer.</param>
/// <param name="Seconds">The median time of one inference of that layer alone.</param>
public sealed record LatencyEntry(string Kind, int Inputs, int Outputs, int Rank, int OutputPixels, double Seconds);

/// <summary>
/// A board's measured layer latencies: the JSON file `elr-run profile -o board.json` writes (format
/// "edgelowrank-latency-table", version 1). Loading checks the format, the version and every entry,
/// so a wrong or damaged file stops the compressor before any work starts.
/// </summary>
public sealed class LatencyTable
{
    /// <summary>The value of the file's "format" field.</summary>
    public const string FormatName = "edgelowrank-latency-table";

    private LatencyTable(string source, string digest, string cpu, string builtFor, int batch, IReadOnlyList<LatencyEntry> entries)
    {
        Source = source;
        Digest = digest;
        Cpu = cpu;
        BuiltFor = builtFor;
        Batch = batch;
        Entries = entries;
    }

    /// <summary>Where the table was read from.</summary>
    public string Source { get; }

    /// <summary>XxHash64 of the file's bytes (hex): names the measurements wherever the file is copied to.</summary>
    public string Digest { get; }

    /// <summary>The CPU it was measured on.</summary>
    public string Cpu { get; }

    /// <summary>Whether elr-run measured the table under user-mode emulation (qemu-aarch64 on a PC): its CPU field then reads
    /// "emulated arm64 on … (timings are the emulator's)" (elr-run's <c>CpuDescription</c>), and its timings are the
    /// emulator's, which rank layers unlike any board's.</summary>
    public bool MeasuredUnderEmulation => Cpu.StartsWith("emulated ", StringComparison.Ordinal);

    /// <summary>The instruction set of the binary that measured it.</summary>
    public string BuiltFor { get; }

    /// <summary>The batch size of the measurements.</summary>
    public int Batch { get; }

    /// <summary>Every measurement.</summary>
    public IReadOnlyList<LatencyEntry> Entries { get; }

    /// <summary>Reads and checks a table.</summary>
    /// <exception cref="FilePathException">The file is missing, or not a regular file.</exception>
    /// <exception cref="LatencyTableException">The file is not JSON, or not a valid version-1 table.</exception>
    public static LatencyTable Load(string path)
    {
        FilePaths.RequireInput(path, "--latency-table", "make one on the board with `elr-run profile -o board.json`");
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            using var json = JsonDocument.Parse(bytes);
            return Parse(json.RootElement, path, Convert.ToHexStringLower(XxHash64.Hash(bytes)));
        }
        catch (JsonException e)
        {
            throw new LatencyTableException($"{path} is {JsonSyntax.Invalid(e)}, so it is no latency table. Make one with `elr-run profile -o board.json`.", e);
        }
    }

    private static LatencyTable Parse(JsonElement root, string path, string digest)
    {
        var fields = new JsonFields(what => new LatencyTableException($"{path} is not a latency table: {what}. Make a new one with `elr-run profile -o board.json`."));
        string format = fields.Text(root, "format");
        if (format != FormatName)
            throw new LatencyTableException($"{path} has format '{format}', not '{FormatName}'. Make the table with `elr-run profile -o board.json`.");
        int version = fields.Whole(root, "version");
        if (version != 1)
            throw new LatencyTableException($"{path} is latency-table version {version}; this compressor reads version 1. Use matching EdgeLowRank releases on the PC and the board.");
        var entries = new List<LatencyEntry>();
        int index = 0;
        foreach (JsonElement e in fields.Array(root, "entries").EnumerateArray())
        {
            string where = $"entry {index}";
            var entry = new LatencyEntry(fields.Text(e, "kind", where), fields.Whole(e, "rows", where), fields.Whole(e, "columns", where),
                fields.Whole(e, "rank", where), fields.Whole(e, "outputPixels", where), fields.Number(e, "seconds", where));
            Check(entry, index++, path);
            entries.Add(entry);
        }
        if (!entries.Any(e => e.Kind == "dense"))
            throw new LatencyTableException($"{path} has no dense-layer measurements; it needs the grid `elr-run profile` measures.");
        int batch = fields.Whole(root, "batch");
        if (batch < 1)
            throw new LatencyTableException($"{path}: its batch is {batch}, where the measurements were made at a batch of at least 1. Make a new table with `elr-run profile -o board.json`.");
        return new LatencyTable(path, digest, fields.Text(root, "cpu"), fields.Text(root, "builtFor"), batch, entries);
    }

    /// <summary>The longest time an entry may give. `elr-run profile` measures single layers of small-image networks, in
    /// microseconds to milliseconds on a Raspberry Pi; a minute is no such measurement, and sums of times near the largest
    /// double overflowed to infinity and made every predicted ratio NaN.</summary>
    public const double MaxSeconds = 60;

    private static void Check(LatencyEntry e, int index, string path)
    {
        bool kindKnown = e.Kind is "dense" or "factorized-dense" or "conv2d" or "factorized-conv2d";
        bool factorized = e.Kind.StartsWith("factorized", StringComparison.Ordinal);
        if (!kindKnown || e.Inputs < 1 || e.Outputs < 1 || e.OutputPixels < 1 || (factorized ? e.Rank < 1 : e.Rank != 0)
            || !(e.Seconds > 0 && e.Seconds <= MaxSeconds))
            throw new LatencyTableException($"{path}: entry {index} (kind {e.Kind}, rows {e.Inputs}, columns {e.Outputs}, rank {e.Rank}, outputPixels {e.OutputPixels}, seconds {e.Seconds}) "
                + $"is not a valid measurement: a kind of dense, factorized-dense, conv2d or factorized-conv2d, positive rows, columns and outputPixels, a rank only when factorized, and a positive time of at most {MaxSeconds:0} s are expected.");
    }
}
