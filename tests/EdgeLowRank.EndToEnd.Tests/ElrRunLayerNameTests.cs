using System.Text.Json;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>elr-run names layers as elr inspect does (fc1, conv2: what elr compress --keep-dense takes): `info` in a column and
/// in its JSON, `bench --per-layer` beside each step's kind and shapes, so a user who compressed conv6 finds its time.</summary>
public class ElrRunLayerNameTests
{
    private static readonly string FireModules = Tool.Fixture("fire-modules.elr");

    /// <summary>fire-modules' layers by the names LayerNames gives them; 4 and 10 are Branches, 9 the ReLU fused into conv6.</summary>
    private static readonly string[] FireModuleNames = ["conv1", "pool1", "conv2", "conv3", "branch1", "conv4", "concat1", "conv5",
        "conv6", "relu", "branch2", "conv7", "concat2", "concat3", "conv8", "pool2", "flatten"];

    [Fact]
    public void Info_names_every_layer_in_the_table_and_the_json()
    {
        ToolResult table = Tool.ElrRun("info", FireModules);
        ToolResult json = Tool.ElrRun("info", FireModules, "--json");

        Assert.Equal((0, 0), (table.ExitCode, json.ExitCode));
        Assert.Matches(@"\n#\s+name\s+layer\s+method\s", table.Output);
        Assert.Matches(@"\n4\s+branch1\s+Branch ← 3\s", table.Output);
        Assert.Matches(@"\n8\s+conv6\s+FactorizedConv2d\s+cur\s", table.Output);
        Assert.Matches(@"\n16\s+flatten\s+Flatten\s", table.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(FireModuleNames, document.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
    }

    [Fact]
    public void Bench_per_layer_names_each_step_by_its_layers_beside_its_kind_and_shapes()
    {
        ToolResult result = Tool.ElrRun("bench", FireModules, "--runs", "20", "--warmup", "0", "--warmup-seconds", "0", "--per-layer");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"\n#\s+name\s+step\s+mean µs\s+share\n", result.Output);
        Assert.Matches(@"\n0\s+conv1\s+Conv2d\+Relu 28×28×1→28×28×12\s+[0-9.]+\s+[0-9.]+%\n", result.Output);
        // The step after a Branch keeps its layer's index and name; a fused ReLU layer joins its layer's name.
        Assert.Matches(@"\n5\s+conv4\s+Conv2d\+Relu 13×13×4→13×13×8\s+[0-9.]+\s+[0-9.]+%\n", result.Output);
        Assert.Matches(@"\n8\s+conv6\+relu\s+FactorizedConv2d\+Relu 13×13×4→13×13×8 \(r=3\)\s+[0-9.]+\s+[0-9.]+%\n", result.Output);
        Assert.Matches(@"\n13\s+concat3\s+Concat 13×13×16→13×13×28 → 2\s", result.Output);
        Assert.DoesNotContain("branch", result.Output); // a Branch is no step
    }

    [Fact]
    public void Bench_json_gives_each_step_its_first_layer_and_its_layers_names()
    {
        ToolResult result = Tool.ElrRun("bench", FireModules, "--runs", "20", "--warmup", "0", "--warmup-seconds", "0", "--per-layer", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        JsonElement[] steps = document.RootElement.GetProperty("perLayer").EnumerateArray().ToArray();
        Assert.Equal([(0, "conv1"), (1, "pool1"), (2, "conv2"), (3, "conv3"), (5, "conv4"), (6, "concat1"), (7, "conv5"),
            (8, "conv6+relu"), (11, "conv7"), (12, "concat2"), (13, "concat3"), (14, "conv8"), (15, "pool2"), (16, "flatten")],
            steps.Select(s => (s.GetProperty("index").GetInt32(), s.GetProperty("name").GetString())));
        // Each step's first layer has the name info gives the layer of that index.
        Assert.All(steps, s => Assert.StartsWith(FireModuleNames[s.GetProperty("index").GetInt32()], s.GetProperty("name").GetString()));
        JsonElement conv6 = steps[7];
        Assert.Equal("FactorizedConv2d+Relu 13×13×4→13×13×8 (r=3)", conv6.GetProperty("step").GetString());
        Assert.True(conv6.GetProperty("meanSeconds").GetDouble() > 0);
    }
}
