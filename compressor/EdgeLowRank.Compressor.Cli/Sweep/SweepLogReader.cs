using System.Text.Json;
using EdgeLowRank.Compressor.Cli.Commands;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>Reads the JSON logs that <c>elr compress --log</c> writes (see <see cref="Display.CompressionLog"/>).</summary>
internal static class SweepLogReader
{
    /// <summary>Reads one log; a missing file or a file that is not a compression log is a <see cref="UsageException"/> naming the file and the field.</summary>
    public static SweepPoint Read(string path)
    {
        FilePaths.RequireInput(path, "LOG", "write one with 'elr compress ... --log FILE'");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = json.RootElement;
            JsonElement lastStep = Field(root, "steps", path).EnumerateArray().LastOrDefault();
            if (lastStep.ValueKind != JsonValueKind.Object) throw NotALog(path, "steps (empty)");
            return new SweepPoint(
                path,
                Field(Field(root, "settings", path), "compress.method", path).GetString() ?? throw NotALog(path, "compress.method"),
                Field(root, "storageRatio", path).GetDouble(),
                Field(root, "flopsRatio", path).GetDouble(),
                Field(root, "error", path).GetDouble(),
                Field(root, "referenceError", path).GetDouble(),
                Field(lastStep, "Lambda", path).GetDouble(),
                Field(root, "ranks", path).EnumerateArray().Select(r => r.GetInt32()).ToArray());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UsageException($"'{path}' is not a compression log ({e.Message}); give the files written by 'elr compress ... --log FILE'.");
        }
    }

    private static JsonElement Field(JsonElement element, string name, string path) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : throw NotALog(path, name);

    private static UsageException NotALog(string path, string field) =>
        new($"'{path}' is not a compression log: it has no '{field}'; give the files written by 'elr compress ... --log FILE'.");
}
