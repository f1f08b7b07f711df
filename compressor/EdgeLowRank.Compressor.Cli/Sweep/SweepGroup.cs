namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// The runs of one curve at one setting (the same target ratio or λ), as the seeds of a repeated measurement: a curve goes
/// through the groups' means, so several seeds per point draw one line instead of a zigzag.
/// </summary>
internal sealed record SweepGroup(string? Setting, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The runs the mean is taken over: those that did what they were asked (<see cref="SweepPoint.FellShort"/>).
    /// A run whose LC steps did not converge ended at an error its own warning says little of, and one that missed its
    /// target sits at another ratio than its seeds: averaged in, either moved the point by what no setting measured.</summary>
    public IReadOnlyList<SweepPoint> Counted { get; } = Points.Where(p => !p.FellShort).ToArray();

    /// <summary>The mean storage ratio of the counted runs; null when every run fell short, and the curve has no point here.</summary>
    public double? MeanStorageRatio => Counted.Count == 0 ? null : Counted.Average(p => p.StorageRatio);

    /// <summary>The mean test error of the counted runs, as a share; null when every run fell short.</summary>
    public double? MeanError => Counted.Count == 0 ? null : Counted.Average(p => p.Error);

    /// <summary>
    /// The points grouped by setting, ordered by mean storage ratio (a group whose runs all fell short by theirs). A run whose
    /// log names no setting (a log written before the settings were recorded) is a group of its own.
    /// </summary>
    public static IReadOnlyList<SweepGroup> Of(IEnumerable<SweepPoint> points) =>
        points.GroupBy(p => p.Setting ?? "log " + p.Log)
            .Select(g => new SweepGroup(g.First().Setting, g.ToArray()))
            .OrderBy(g => g.MeanStorageRatio ?? g.Points.Average(p => p.StorageRatio))
            .ToArray();
}
