using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// <c>elr-run bench</c> stopped with Ctrl+C or SIGTERM reports what it measured, as ONNX Runtime's and TensorFlow Lite's benchmark
/// tools are expected to; and a report over fewer runs than a percentile needs leaves that percentile out. The process is
/// sent a real SIGINT or SIGTERM once it has said it is measuring and has since used CPU time (the runs themselves): no fixed sleep,
/// so a loaded machine only makes the test wait longer.
/// </summary>
public class ElrRunBenchInterruptTests
{
    private static readonly string Factorized = Tool.Fixture("lenet300-factorized.elr");
    private static readonly TimeSpan Patience = RunningTool.Patience;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ctrl_C_stops_bench_and_prints_the_report_over_the_runs_measured_with_exit_code_130(bool json)
    {
        // Far more runs than the test waits for: only the signal ends it.
        using Process process = Tool.StartElrRun(["bench", Factorized, "--runs", "100000000", "--warmup", "0", "--warmup-seconds", "0", .. json ? new[] { "--json" } : []]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Assert.StartsWith("elr-run: measuring 100,000,000 runs; Ctrl+C stops", await RunningTool.ReadErrorLine(process));
        RunningTool.WaitForCpuTime(process, ticks: 3);   // 30 ms of runs of a few µs each

        RunningTool.Interrupt(process);
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        string report = await output.WaitAsync(Patience);
        Assert.True(process.WaitForExit(Patience), "elr-run bench did not stop in 60 s of Ctrl+C");

        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {error}");
        // Less the warning of other processes' work, which a loaded machine gives any bench.
        Assert.Equal("elr-run: stopping after the run in progress; Ctrl+C again quits at once, without a report\n"
            + "elr-run: cancelled: the report covers the runs measured before Ctrl+C\n", Regex.Replace(error, "elr-run: warning: other processes kept [^\n]*\n", ""));
        long runs;
        if (json)
        {
            using var document = JsonDocument.Parse(report);
            JsonElement root = document.RootElement, interrupted = root.GetProperty("interrupted");
            Assert.Equal("measurement", interrupted.GetProperty("during").GetString());
            Assert.Equal(100_000_000, interrupted.GetProperty("plannedRuns").GetInt64());
            Assert.Equal(JsonValueKind.Null, interrupted.GetProperty("plannedSeconds").ValueKind);
            runs = interrupted.GetProperty("runs").GetInt64();
            JsonElement latency = root.GetProperty("latencySeconds");
            Assert.Equal(runs, latency.GetProperty("count").GetInt64());
            Assert.InRange(latency.GetProperty("p50").GetDouble(), latency.GetProperty("min").GetDouble(), latency.GetProperty("max").GetDouble());
            Assert.True(root.GetProperty("samplesPerSecond").GetDouble() > 0);
        }
        else
        {
            Match said = Regex.Match(report, @"\ninterrupted +after ([0-9,]+) of 100,000,000 runs \(Ctrl\+C\); the figures below cover those\n");
            Assert.True(said.Success, report);
            runs = long.Parse(said.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            // The row keeps its 13 words, so scripts that pick a column by position (awk '{print $12}': p99) still find it.
            string row = Regex.Match(report, @"\nper inference \(batch 1\)[^\n]*").Value.Trim();
            string[] words = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(13, words.Length);
            Assert.Equal(said.Groups[1].Value, words[4]);
            Assert.Matches(@"\nthroughput +[0-9,]+ samples/s over ", report);
        }
        Assert.InRange(runs, 1, 99_999_999);
    }

    [Fact]
    public async Task A_second_Ctrl_C_quits_bench_at_once_without_a_report()
    {
        // Runs of 16,384 LeNet-5 images take about a second each here: long enough that the second Ctrl+C comes while
        // the first waits for the run in progress.
        using Process process = Tool.StartElrRun(["bench", Tool.Fixture("lenet5-dense.elr"), "--batch", "16384", "--runs", "1000", "--warmup", "0", "--warmup-seconds", "0"]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Assert.StartsWith("elr-run: measuring 1,000 runs;", await RunningTool.ReadErrorLine(process));

        RunningTool.Interrupt(process);
        Assert.StartsWith("elr-run: stopping after the run in progress;", await RunningTool.ReadErrorLine(process));
        RunningTool.Interrupt(process);
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        Assert.True(process.WaitForExit(Patience), "elr-run bench did not end in 60 s of a second Ctrl+C");

        Assert.Equal(130, process.ExitCode);
        QuitWithoutReport(error, "elr-run: cancelled");
        Assert.Equal("", await output.WaitAsync(Patience));
    }

    [Fact]
    public async Task Ctrl_C_during_the_timed_runs_of_a_per_layer_bench_says_the_layer_table_was_not_made()
    {
        using Process process = Tool.StartElrRun(["bench", Factorized, "--runs", "100000000", "--warmup", "0", "--warmup-seconds", "0", "--per-layer"]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Assert.StartsWith("elr-run: measuring 100,000,000 runs;", await RunningTool.ReadErrorLine(process));
        RunningTool.WaitForCpuTime(process, ticks: 3);

        RunningTool.Interrupt(process);
        string report = await output.WaitAsync(Patience);
        Assert.True(process.WaitForExit(Patience), "elr-run bench did not stop in 60 s of Ctrl+C");

        Assert.Equal(130, process.ExitCode);
        // The table --per-layer asked for is missing: the report says why, rather than leave it out without a word.
        Assert.Matches(@"\ninterrupted +after [0-9,]+ of 100,000,000 runs \(Ctrl\+C\); the figures below cover those; no per-layer timing \(it runs after the timed runs\)\n", report);
    }

    [Fact]
    public async Task Ctrl_C_during_the_per_layer_timing_keeps_every_latency_and_the_layer_means_so_far()
    {
        // 20 runs of 4,096 LeNet-5 images, about a quarter of a second each here, then as many again timing each layer: the
        // signal comes after about two of those (CPU time, however loaded the machine), long before the last.
        using Process process = Tool.StartElrRun(["bench", Tool.Fixture("lenet5-dense.elr"), "--batch", "4096", "--runs", "20", "--warmup", "0",
            "--warmup-seconds", "0", "--per-layer"]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Assert.StartsWith("elr-run: measuring 20 runs;", await RunningTool.ReadErrorLine(process));
        Assert.Equal("elr-run: timing each layer over 20 more runs; Ctrl+C stops and reports the latencies with the layer means so far",
            await RunningTool.ReadErrorLine(process));
        RunningTool.WaitForCpuTime(process, ticks: 50);

        RunningTool.Interrupt(process);
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        string report = await output.WaitAsync(Patience);
        Assert.True(process.WaitForExit(Patience), "elr-run bench did not stop in 60 s of Ctrl+C");

        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {error}");
        Match said = Regex.Match(report, @"\ninterrupted +during the per-layer timing \(Ctrl\+C\): its step means cover ([0-9]+) runs, the latencies all 20\n");
        Assert.True(said.Success, report);
        Assert.InRange(int.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture), 1, 19);
        Assert.Matches(@"\nper inference \(batch 4096\) +20 ", report);
        Assert.Contains("Conv2d", report);   // the per-layer table, over the runs it made
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SIGTERM_stops_bench_as_the_first_Ctrl_C_does_with_exit_code_143_and_says_which(bool json)
    {
        // What `timeout`, systemd and Kubernetes send: a trial's pipeline got exit code 143 and neither a report nor a word.
        using Process process = Tool.StartElrRun(["bench", Factorized, "--duration", "600", "--warmup", "0", "--warmup-seconds", "0", .. json ? new[] { "--json" } : []]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Assert.StartsWith("elr-run: measuring for 600 s;", await RunningTool.ReadErrorLine(process));
        RunningTool.WaitForCpuTime(process, ticks: 3);

        RunningTool.Send(process, "-TERM");
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        string report = await output.WaitAsync(Patience);
        Assert.True(process.WaitForExit(Patience), "elr-run bench did not stop in 60 s of SIGTERM");

        Assert.True(process.ExitCode == 143, $"exit code {process.ExitCode}: {error}");
        Assert.Equal("elr-run: stopping after the run in progress (SIGTERM); another SIGTERM or Ctrl+C quits at once, without a report\n"
            + "elr-run: terminated (SIGTERM): the report covers the runs measured before SIGTERM\n", Regex.Replace(error, "elr-run: warning: other processes kept [^\n]*\n", ""));
        if (json)
        {
            using var document = JsonDocument.Parse(report);
            JsonElement interrupted = document.RootElement.GetProperty("interrupted");
            Assert.Equal(("measurement", "SIGTERM", 600.0), (interrupted.GetProperty("during").GetString(), interrupted.GetProperty("signal").GetString(),
                interrupted.GetProperty("plannedSeconds").GetDouble()));
            Assert.InRange(interrupted.GetProperty("runs").GetInt64(), 1, long.MaxValue);
            Assert.Equal(interrupted.GetProperty("runs").GetInt64(), document.RootElement.GetProperty("latencySeconds").GetProperty("count").GetInt64());
        }
        else
        {
            Assert.Matches(@"\ninterrupted +after [0-9,]+ runs in [^\n]+ of 600 s \(SIGTERM\); the figures below cover those\n", report);
            Assert.Matches(@"\nthroughput +[0-9,]+ samples/s over ", report);
        }
    }

    [Fact]
    public async Task A_second_SIGTERM_quits_bench_at_once_without_a_report_with_exit_code_143()
    {
        // As for Ctrl+C: the second signal comes while the first waits for a run of about a second (16,384 LeNet-5 images).
        using Process process = Tool.StartElrRun(["bench", Tool.Fixture("lenet5-dense.elr"), "--batch", "16384", "--runs", "1000", "--warmup", "0", "--warmup-seconds", "0"]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Assert.StartsWith("elr-run: measuring 1,000 runs;", await RunningTool.ReadErrorLine(process));

        RunningTool.Send(process, "-TERM");
        Assert.StartsWith("elr-run: stopping after the run in progress (SIGTERM);", await RunningTool.ReadErrorLine(process));
        RunningTool.Send(process, "-TERM");
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(Patience);
        Assert.True(process.WaitForExit(Patience), "elr-run bench did not end in 60 s of a second SIGTERM");

        Assert.Equal(143, process.ExitCode);
        QuitWithoutReport(error, "elr-run: terminated (SIGTERM)");
        Assert.Equal("", await output.WaitAsync(Patience));
    }

    /// <summary>Stderr of a bench a second signal quit: its status line last. On a loaded machine the run in progress can end
    /// between the two signals, and the report's load warning (on stderr, before the report) comes out before the second
    /// signal quits it (a CI run beside a trial's builds); the report itself, on stdout, never does.</summary>
    private static void QuitWithoutReport(string error, string status)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(status, lines[^1]);
        Assert.All(lines[..^1], line => Assert.StartsWith("elr-run: warning: other processes kept ", line));
    }

    [Fact]
    public void Percentiles_that_too_few_runs_give_are_left_out_and_the_report_says_so()
    {
        ToolResult text = Tool.ElrRun("bench", Factorized, "--runs", "15", "--warmup", "0", "--warmup-seconds", "0");
        ToolResult json = Tool.ElrRun("bench", Factorized, "--runs", "15", "--warmup", "0", "--warmup-seconds", "0", "--json");

        Assert.Equal((0, 0), (text.ExitCode, json.ExitCode));
        // count, min, mean, std, p50, p90 given; p95 (20 runs) and p99 (100) not.
        Assert.Matches(@"\nper inference \(batch 1\) +15( +[0-9]+\.[0-9]{2}){5} +— +— +[0-9]+\.[0-9]{2}\n", text.Output);
        Assert.Contains("\n—: too few runs for p95 (needs 20) and p99 (needs 100); 15 measured\n", text.Output);
        Assert.DoesNotContain("interrupted", text.Output);
        using var document = JsonDocument.Parse(json.Output);
        JsonElement latency = document.RootElement.GetProperty("latencySeconds");
        Assert.Equal(JsonValueKind.Number, latency.GetProperty("p90").ValueKind);
        Assert.Equal(JsonValueKind.Null, latency.GetProperty("p95").ValueKind);
        Assert.Equal(JsonValueKind.Null, latency.GetProperty("p99").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("interrupted").ValueKind);
    }
}
