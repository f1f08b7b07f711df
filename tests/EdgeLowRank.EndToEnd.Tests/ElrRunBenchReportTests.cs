using System.Text.Json;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>What `elr-run bench`'s report says beside the latencies: null in its JSON for what was not asked.</summary>
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
}
