using System.Text.Json;
using EdgeLowRank.Compressor.Cli.Commands;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.IO;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>Reads the JSON logs that <c>elr compress --log</c> writes (see <see cref="Display.CompressionLog"/>), and those it
/// wrote before every key was camelCase (settings named "compress.target-ratio", steps' "Lambda"), which a sweep of hours
/// may still be made of.</summary>
internal static class SweepLogReader
{
    /// <summary>Reads one log; a missing file or a file that is not a compression log is a <see cref="UsageException"/> naming the file and the field.</summary>
    public static SweepPoint Read(string path)
    {
        FilePaths.RequireInput(path, "LOG", "write one with 'elr compress ... --log FILE'");
        var fields = new JsonFields(what => NotALog(path, what));
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = json.RootElement;
            JsonElement lastStep = fields.Array(root, "steps").EnumerateArray().LastOrDefault();
            if (lastStep.ValueKind != JsonValueKind.Object) throw NotALog(path, "its 'steps' are empty");
            var settings = fields.Object(root, "settings").EnumerateObject()
                .GroupBy(p => LogSettingNames.Of(p.Name)).ToDictionary(g => g.Key, g => g.Last().Value); // a name given twice: JSON's last wins
            return new SweepPoint(
                path,
                fields.Text(root, "dataset"),
                settings.TryGetValue("method", out JsonElement method) && method.ValueKind == JsonValueKind.String
                    ? method.GetString()! : throw NotALog(path, "its settings have no string 'method'"),
                Setting(settings),
                Setup(settings),
                Ratio(path, "storageRatio", fields.Number(root, "storageRatio")),
                Ratio(path, "flopsRatio", fields.Number(root, "flopsRatio")),
                Share(path, "error", fields.Number(root, "error")),
                Share(path, "referenceError", fields.Number(root, "referenceError")),
                fields.Number(lastStep, lastStep.TryGetProperty("Lambda", out _) ? "Lambda" : "lambda", "its last step"),
                fields.Wholes(fields.Array(root, "ranks"), "ranks"));
        }
        catch (JsonException e)
        {
            throw NotALog(path, $"it is {JsonSyntax.Invalid(e)}");
        }
    }

    /// <summary>
    /// "target R" or "λ X" from the settings <c>elr compress</c> records, null when neither is there as text. The target comes
    /// first: a run given one records its λ as found per step, which is not a setting.
    /// </summary>
    private static string? Setting(IReadOnlyDictionary<string, JsonElement> settings) =>
        Recorded(settings, "targetRatio") is string ratio ? "target " + ratio
        : Recorded(settings, "lambda") is string lambda ? "λ " + lambda
        : null;

    /// <summary>
    /// The recorded settings that make a run's setup: all but the seeds, so runs that differ only in those are seeds of one
    /// setup. A validation split names its seed too ("0.1 (split seed 3)"), which is cut off for the same reason.
    /// </summary>
    private static IReadOnlyDictionary<string, string> Setup(IReadOnlyDictionary<string, JsonElement> settings) =>
        settings
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Key is not ("seed" or "curSeed"))
            .ToDictionary(p => p.Key, p => p.Value.GetString()!.Split(" (split seed")[0]);

    private static string? Recorded(IReadOnlyDictionary<string, JsonElement> settings, string name) =>
        settings.TryGetValue(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is string text
            && text != "none" ? text : null;

    // A compressed model never has more parameters or MACs than its dense self (a rank that saves nothing stays dense), and an
    // error is a share of the test set: a log that says otherwise was edited or damaged, and would be drawn off the chart.
    private static double Ratio(string path, string name, double value) =>
        value >= 1 && double.IsFinite(value) ? value : throw NotALog(path, $"its '{name}' is {value}, where a compression gives a finite ratio of at least 1");

    private static double Share(string path, string name, double value) =>
        value is >= 0 and <= 1 ? value : throw NotALog(path, $"its '{name}' is {value}, where an error is a share between 0 and 1");

    private static UsageException NotALog(string path, string what) =>
        new($"'{path}' is not a compression log: {what}; give the files written by 'elr compress ... --log FILE'.");
}
