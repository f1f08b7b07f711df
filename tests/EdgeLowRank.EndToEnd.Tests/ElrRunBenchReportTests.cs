using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>What `elr-run bench`'s report says beside the latencies: null in its JSON for what was not asked, where it came
/// from (elr-run's version, when it started, which model file), and why the load check has no figure when it has none.</summary>
public class ElrRunBenchReportTests
{
    private static readonly string Factorized = Tool.Fixture("lenet300-factorized.elr");

    private static readonly string[] Quick = ["--runs", "20", "--warmup", "0", "--warmup-seconds", "0"];

    [Fact]
    public void Bench_json_per_layer_is_null_unless_asked_for()
    {
        ToolResult plain = Tool.ElrRun(["bench", Factorized, .. Quick, "--json"]);
        ToolResult perLayer = Tool.ElrRun(["bench", Factorized, .. Quick, "--json", "--per-layer"]);

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.True(perLayer.ExitCode == 0, perLayer.Error);
        using var notAsked = JsonDocument.Parse(plain.Output);
        using var asked = JsonDocument.Parse(perLayer.Output);
        Assert.Equal(JsonValueKind.Null, notAsked.RootElement.GetProperty("perLayer").ValueKind);
        Assert.NotEmpty(asked.RootElement.GetProperty("perLayer").EnumerateArray());
    }

    [Fact]
    public void Bench_reports_its_version_start_time_and_the_models_digest_in_the_json_and_the_table()
    {
        string version = Tool.ElrRun("--version").Output.Trim();
        string digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Factorized)));
        DateTime before = DateTime.UtcNow.AddSeconds(-1);
        ToolResult json = Tool.ElrRun(["bench", Factorized, .. Quick, "--json"]);
        ToolResult text = Tool.ElrRun(["bench", Factorized, .. Quick]);
        DateTime after = DateTime.UtcNow.AddSeconds(1);

        Assert.True(json.ExitCode == 0, json.Error);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+", version);
        using var document = JsonDocument.Parse(json.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(version, root.GetProperty("elrRunVersion").GetString());
        Assert.Equal(digest, root.GetProperty("modelSha256").GetString());
        string started = root.GetProperty("startedUtc").GetString()!;
        Assert.Matches(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", started);
        Assert.InRange(DateTime.Parse(started, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), before, after);
        Assert.Matches($@"\nprovenance +elr-run {Regex.Escape(version)}, started [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9:]{{8}}Z, model sha256 {digest}\n", text.Output);
    }

    [Fact]
    public void A_bench_too_short_for_the_load_check_says_how_long_its_timed_runs_took()
    {
        if (!OperatingSystem.IsLinux()) return;   // elsewhere there is no /proc/stat, and the line says that
        ToolResult result = Tool.ElrRun(["bench", Factorized, .. Quick]);
        ToolResult json = Tool.ElrRun(["bench", Factorized, .. Quick, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(json.ExitCode == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("otherProcessesCores").ValueKind);
        Assert.StartsWith("the timed runs took ", document.RootElement.GetProperty("otherProcessesNotMeasured").GetString());
        Assert.Matches(@"\nother processes  not measured: the timed runs took [0-9.]+ (µs|ms), under the 0\.5 s needed \(/proc/stat counts in 10 ms ticks\); --min-seconds 0\.5 measures it\n", result.Output);
    }

    [Fact]
    public void Min_seconds_keeps_measuring_past_the_runs_until_that_long_has_passed()
    {
        ToolResult result = Tool.ElrRun("bench", Factorized, "--runs", "1", "--warmup", "0", "--warmup-seconds", "0", "--min-seconds", "0.6", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.True(root.GetProperty("measuredSeconds").GetDouble() >= 0.6, result.Output);
        Assert.True(root.GetProperty("latencySeconds").GetProperty("count").GetInt64() > 1, result.Output);
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("otherProcessesCores").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("otherProcessesNotMeasured").ValueKind);
    }
}
