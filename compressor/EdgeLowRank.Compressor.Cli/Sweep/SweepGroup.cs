using EdgeLowRank.Compressor.Cli.Commands;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// The runs of one method at one setting (the same target ratio or λ), as the seeds of a repeated measurement:
/// a curve goes through the groups' means, so several seeds per point draw one line instead of a zigzag.
/// </summary>
internal sealed record SweepGroup(string Method, string? Setting, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The mean storage ratio of the runs.</summary>
    public double MeanStorageRatio => Points.Average(p => p.StorageRatio);

    /// <summary>The mean test error of the runs, as a share.</summary>
    public double MeanError => Points.Average(p => p.Error);

    /// <summary>
    /// The points grouped by method and setting, ordered by method, then by mean storage ratio. A run whose log names no
    /// setting (a log written before the settings were recorded) is a group of its own. Runs of one group must differ in
    /// their seeds only: a <see cref="UsageException"/> names the first other setting in which they differ.
    /// </summary>
    public static IReadOnlyList<SweepGroup> Of(IEnumerable<SweepPoint> points)
    {
        SweepGroup[] groups = points.GroupBy(p => (p.Method, Key: p.Setting ?? "log " + p.Log))
            .Select(g => new SweepGroup(g.Key.Method, g.First().Setting, g.ToArray()))
            .OrderBy(g => g.Method, StringComparer.Ordinal).ThenBy(g => g.MeanStorageRatio)
            .ToArray();
        foreach (SweepGroup group in groups) group.RequireOneSetup();
        return groups;
    }

    // Averaging runs of different setups (another CUR selection, another schedule) would draw a mean no run measured.
    private void RequireOneSetup()
    {
        SweepPoint first = Points[0];
        foreach (SweepPoint other in Points.Skip(1))
        {
            string? differing = first.Setup.Keys.Union(other.Setup.Keys).Order(StringComparer.Ordinal)
                .FirstOrDefault(k => first.Setup.GetValueOrDefault(k) != other.Setup.GetValueOrDefault(k));
            if (differing is null) continue;
            throw new UsageException($"The {Method} runs at {Setting} differ in their {differing} setting ('{first.Setup.GetValueOrDefault(differing) ?? "absent"}' in "
                + $"{Path.GetFileName(first.Log)}, '{other.Setup.GetValueOrDefault(differing) ?? "absent"}' in {Path.GetFileName(other.Log)}), not only in "
                + "their seeds; a point of the curve is the mean of one setup's seeds, so plot one setup at a time.");
        }
    }
}
