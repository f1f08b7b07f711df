using System.Diagnostics;
using System.Text.Json;
using EdgeLowRank.Compressor.Latency;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>`elr-run bench` and `elr-run profile` say how many cores other processes kept busy while they measured, and
/// warn when that is enough to inflate the latencies.</summary>
public class ElrRunCpuContentionTests : TempFiles
{
    private static readonly string Factorized = Tool.Fixture("lenet300-factorized.elr");

    /// <summary>The cores the measure counts: /proc/stat's cpuN lines, the host's in a container, where
    /// Environment.ProcessorCount follows the container's limit.</summary>
    private static int StatCores() => File.ReadLines("/proc/stat").Count(l => l.Length > 3 && l.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(l[3]));

    [Fact]
    public void Bench_reports_the_cores_other_processes_kept_busy_in_the_table_and_the_json()
    {
        // A second: the measure needs half of one (CpuContention.MinimumSeconds).
        ToolResult text = Tool.ElrRun("bench", Factorized, "--duration", "1", "--warmup-seconds", "0.1");
        ToolResult json = Tool.ElrRun("bench", Factorized, "--duration", "1", "--warmup-seconds", "0.1", "--json");

        Assert.Equal((0, 0), (text.ExitCode, json.ExitCode));
        using var document = JsonDocument.Parse(json.Output);
        JsonElement other = document.RootElement.GetProperty("otherProcessesCores");
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(JsonValueKind.Null, other.ValueKind);
            return;
        }
        Assert.InRange(other.GetDouble(), 0, StatCores());
        Assert.True(document.RootElement.TryGetProperty("stealCores", out _));
        Assert.Matches(@"\nother processes +[0-9]+\.[0-9]{2} of [0-9]+ cores busy during the timed runs[^\n]*\n", text.Output);
    }

    /// <summary>A shell's endless loop beside the bench: on two or more cores it gets one to itself, and under any load it
    /// gets its fair share of a core (at least half when it and the bench are all there is on two), so the bench sees at
    /// least half a core of other work whatever else the machine runs.</summary>
    [Fact]
    public void A_busy_process_beside_the_bench_is_measured_and_warned_of()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string word in new[] { "-c", "while :; do :; done" }) start.ArgumentList.Add(word);
        using Process busy = Process.Start(start)!;
        ToolResult result;
        try
        {
            result = Tool.ElrRun("bench", Factorized, "--duration", "2", "--warmup-seconds", "0.3", "--json");
        }
        finally
        {
            busy.Kill();
            busy.WaitForExit();
        }

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        double other = document.RootElement.GetProperty("otherProcessesCores").GetDouble();
        Assert.True(other >= 0.5, result.Output);
        var warned = System.Text.RegularExpressions.Regex.Match(result.Error,
            @"elr-run: warning: other processes kept ([0-9.]+) of (?:the host's )?([0-9]+) cores busy during the timed runs[^\n]*, so the latencies are likely inflated");
        Assert.True(warned.Success, result.Error);
        // The JSON holds the figure the warning states, the other processes' cores and not the machine's (a planted swap to
        // the core count passed every check that only bounded it): below the cores, as this bench took a share of them itself.
        Assert.Equal(warned.Groups[1].Value, other.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(other < int.Parse(warned.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), result.Output);
    }

    [Fact]
    public void Profile_records_the_cores_other_processes_kept_busy_in_the_latency_table_which_the_compressor_still_reads()
    {
        string table = PathOf("board.json");

        // 400 samples a shape: about a second here, over the half second the measure needs (5 took 0.3 s, and no measure).
        ToolResult profiled = Tool.ElrRun("profile", "-o", table, "--quick", "--runs", "400", "--warmup", "1");

        Assert.True(profiled.ExitCode == 0, profiled.Error);
        using var document = JsonDocument.Parse(File.ReadAllBytes(table));
        JsonElement other = document.RootElement.GetProperty("otherProcessesCores");
        if (OperatingSystem.IsLinux())
        {
            Assert.InRange(other.GetDouble(), 0, StatCores());
            Assert.Matches(@"; other processes kept [0-9]+\.[0-9]{2} of [0-9]+ cores busy meanwhile[^\n]*\n", profiled.Output);
        }
        // The field came after version 1: the compressor's reader, which reads fields by name, takes the table as before.
        Assert.NotEmpty(LatencyTable.Load(table).Entries);
    }
}
