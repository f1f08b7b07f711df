using System.Text.Json;
using EdgeLowRank.Compressor.Latency;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.Compressor.Tests.Latency;

/// <summary>Writes synthetic latency tables in the format `elr-run profile` writes, from a latency law.</summary>
internal sealed class LatencyTableFiles : IDisposable
{
    public static readonly int[] Sides = [10, 32, 100, 300, 784];
    public static readonly int[] Ranks = [1, 4, 16, 32, 64];

    private readonly string _folder = Directory.CreateTempSubdirectory("elr-latency-").FullName;

    public static string MeasuredHere => FixtureFiles.Find(Path.Combine("latency", "epyc-x64-v3.json"));

    /// <summary>A full grid: dense from <paramref name="dense"/>(inputs, outputs), factorized from <paramref name="factorized"/>(inputs, outputs, rank).</summary>
    public string Write(Func<int, int, double> dense, Func<int, int, int, double> factorized)
    {
        var entries = new List<object>();
        foreach (int i in Sides)
            foreach (int o in Sides)
            {
                entries.Add(new { kind = "dense", rows = i, columns = o, rank = 0, outputPixels = 1, seconds = dense(i, o) });
                foreach (int r in Ranks.Where(r => r < Math.Min(i, o)))
                    entries.Add(new { kind = "factorized-dense", rows = i, columns = o, rank = r, outputPixels = 1, seconds = factorized(i, o, r) });
            }
        return WriteJson(new { format = LatencyTable.FormatName, version = 1, cpu = "synthetic", builtFor = "test", batch = 1, entries });
    }

    public string WriteJson(object document) => WriteText(JsonSerializer.Serialize(document));

    public string WriteText(string text)
    {
        string path = Path.Combine(_folder, $"table-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
