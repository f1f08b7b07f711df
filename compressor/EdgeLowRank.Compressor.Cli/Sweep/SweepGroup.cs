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
    /// setting (a log written before the settings were recorded) is a group of its own.
    /// </summary>
    public static IReadOnlyList<SweepGroup> Of(IEnumerable<SweepPoint> points) =>
        points.GroupBy(p => (p.Method, Key: p.Setting ?? "log " + p.Log))
            .Select(g => new SweepGroup(g.Key.Method, g.First().Setting, g.ToArray()))
            .OrderBy(g => g.Method, StringComparer.Ordinal).ThenBy(g => g.MeanStorageRatio)
            .ToArray();
}
