using System.Globalization;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// The points of a sweep, and the means its curves go through, as Markdown tables: plain Markdown rather than a console
/// table, since the rows go into docs/RESULTS.md as they are. Where a run fell short of its goals, a last column says of
/// what; a sweep without one prints the columns it always did.
/// </summary>
internal static class SweepTables
{
    private const string ShortColumn = " fell short (not in the mean) |";

    /// <summary>Every run, by curve, then by storage ratio.</summary>
    public static void WritePoints(IReadOnlyList<SweepCurve> curves, TextWriter output)
    {
        bool anyShort = curves.Any(c => c.Groups.Any(g => g.Points.Any(p => p.Shortfalls.Count > 0)));
        output.WriteLine("| method | λ (last C step) | storage × | FLOPs × | test error | ranks | log |" + (anyShort ? ShortColumn : ""));
        output.WriteLine("|---|---:|---:|---:|---:|---|---|" + (anyShort ? "---|" : ""));
        foreach (SweepCurve curve in curves)
        foreach (SweepPoint p in curve.Groups.SelectMany(g => g.Points).OrderBy(p => p.StorageRatio))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {curve.Name} | {p.Lambda:G3} | {p.StorageRatio:F2} | {p.FlopsRatio:F2} | {p.Error * 100:F2}% | {p.RankText} | {Path.GetFileName(p.Log)} |")
                + (anyShort ? $" {(p.Shortfalls.Count == 0 ? "—" : p.ShortfallText + (p.FellShort ? "" : " (in the mean)"))} |" : ""));
        // A trial read 4.16 in compress's step table and 4.01 here for one run: the two count different parameters.
        output.WriteLine();
        output.WriteLine("storage × counts every parameter of the model, biases included (the summary's \"fewer with biases\"); "
            + "the storage × of elr compress's step table and --target-ratio count the weight matrices alone, so they read higher.");
    }

    /// <summary>Where a setting was run several times (seeds), the means the curve goes through, and the spread around them.</summary>
    public static void WriteMeans(IReadOnlyList<SweepCurve> curves, TextWriter output)
    {
        SweepGroup[] groups = curves.SelectMany(c => c.Groups).ToArray();
        if (groups.All(g => g.Points.Count == 1)) return;
        bool anyShort = groups.Any(g => g.Counted.Count < g.Points.Count);
        output.WriteLine();
        output.WriteLine("| method | setting | runs | mean storage × | mean test error | lowest – highest |" + (anyShort ? ShortColumn : ""));
        output.WriteLine("|---|---|---:|---:|---:|---|" + (anyShort ? "---|" : ""));
        foreach (SweepCurve curve in curves)
        foreach (SweepGroup g in curve.Groups)
        {
            string means = g.Counted.Count == 0 ? "— | — | —" : string.Create(CultureInfo.InvariantCulture,
                $"{g.MeanStorageRatio:F2} | {g.MeanError * 100:F3}% | {g.Counted.Min(p => p.Error) * 100:F2}% – {g.Counted.Max(p => p.Error) * 100:F2}%");
            string fellShort = string.Join("; ", g.Points.Where(p => p.FellShort).Select(p => $"{Path.GetFileName(p.Log)}: {string.Join(", ", p.Shortfalls.Select(s => s.Words))}"));
            output.WriteLine($"| {curve.Name} | {g.Setting ?? "—"} | {g.Counted.Count} | {means} |" + (anyShort ? $" {(fellShort.Length > 0 ? fellShort : "—")} |" : ""));
        }
    }
}
