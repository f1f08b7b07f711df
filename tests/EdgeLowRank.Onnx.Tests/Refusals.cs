namespace EdgeLowRank.Onnx.Tests;

/// <summary>Graphs the import must refuse, by name, each with a part of the message it must give: the cases of a theory
/// and its one check.</summary>
internal static class Refusals
{
    /// <summary>The theory's cases: each graph's name and the message part expected.</summary>
    public static TheoryData<string, string> Cases(IReadOnlyDictionary<string, (Func<byte[]> Build, string Message)> graphs)
    {
        var cases = new TheoryData<string, string>();
        foreach (var (name, refusal) in graphs) cases.Add(name, refusal.Message);
        return cases;
    }

    /// <summary>Requires the import of the graph named <paramref name="name"/> to fail with a message holding <paramref name="expected"/>.</summary>
    public static void Check(IReadOnlyDictionary<string, (Func<byte[]> Build, string Message)> graphs, string name, string expected)
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(graphs[name].Build()));

        Assert.Contains(expected, e.Message);
    }
}
