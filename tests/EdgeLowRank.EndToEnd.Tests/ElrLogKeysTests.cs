using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// The JSON logs of <c>elr compress --log</c> and <c>elr quantize --log</c> name every key in one style, camelCase, at every
/// depth: a user's trial found <c>storageRatio</c> beside each step's <c>StorageRatio</c>. And <c>elr plot</c>, which reads
/// the compression log back, still reads it.
/// </summary>
public partial class ElrLogKeysTests : TempFiles
{
    [RealDataFact("digits")]
    public void Every_key_of_the_compress_and_quantize_logs_is_camelCase_and_plot_reads_the_compress_log()
    {
        string reference = PathOf("digits.elr"), compressed = PathOf("small.elr"), compressLog = PathOf("compress.json"), quantizeLog = PathOf("quantize.json");
        DigitsReference.Train(reference);

        // --validation gives each step its validationError; dynamic inputs give quantize's log its dynamicOps.
        ToolResult compress = Tool.Elr("compress", reference, "--method", "svd", "--target-ratio", "2", "--steps", "2", "--validation", "0.1",
            "--threads", "1", "--log", compressLog, "-o", compressed);
        ToolResult quantize = Tool.Elr("quantize", compressed, "--activations", "dynamic", "--threads", "1", "--log", quantizeLog, "-o", PathOf("int8.elr"));
        ToolResult plot = Tool.Elr("plot", compressLog, "-o", PathOf("sweep.png"));

        Assert.True(compress.ExitCode == 0, compress.Error);
        Assert.True(quantize.ExitCode == 0, quantize.Error);
        Assert.True(plot.ExitCode == 0, plot.Error);
        foreach (string log in new[] { compressLog, quantizeLog })
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(log));
            Assert.Equal([], Keys(json.RootElement, "").Where(k => !CamelCase().IsMatch(k.Name)).Select(k => k.Path));
        }
        using JsonDocument compression = JsonDocument.Parse(File.ReadAllBytes(compressLog));
        JsonElement step = compression.RootElement.GetProperty("steps")[0];
        Assert.Equal(JsonValueKind.Number, step.GetProperty("storageRatio").ValueKind);
        Assert.Equal(JsonValueKind.Number, step.GetProperty("validationError").ValueKind);
        Assert.Equal("svd", compression.RootElement.GetProperty("settings").GetProperty("method").GetString());
        Assert.Equal("2", compression.RootElement.GetProperty("settings").GetProperty("targetRatio").GetString());
    }

    /// <summary>Every key under <paramref name="element"/>, with its path ("/steps[0]/storageRatio"), so a failure names where it is.</summary>
    private static IEnumerable<(string Path, string Name)> Keys(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Keys(p.Value, $"{path}/{p.Name}").Prepend(($"{path}/{p.Name}", p.Name))),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => Keys(e, $"{path}[{i}]")),
        _ => [],
    };

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();
}
