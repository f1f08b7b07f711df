namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// One finished <c>elr compress</c> run as a point of an error-against-compression curve, read from its
/// JSON log. <paramref name="Lambda"/> is the λ of the last C step (the one the bisection settled on
/// when the run was given a target ratio). <paramref name="Setting"/> is what the run was asked for ("target 10.2" or
/// "λ 1E-05"), null when its log does not say; <paramref name="Setup"/> holds the settings that tell its curve apart (null
/// when the log records none). <paramref name="Dataset"/> is the data set the run trained and tested on.
/// <paramref name="Shortfalls"/> are the goals the run missed, as its log records.
/// </summary>
internal sealed record SweepPoint(
    string Log,
    string Dataset,
    string Method,
    string? Setting,
    IReadOnlyDictionary<string, string>? Setup,
    double StorageRatio,
    double FlopsRatio,
    double Error,
    double ReferenceError,
    double Lambda,
    IReadOnlyList<int> Ranks,
    IReadOnlyList<SweepShortfall> Shortfalls)
{
    /// <summary>
    /// Whether the run fell short of what it was asked (<see cref="SweepShortfall.LeavesMean"/>): its LC steps did not
    /// converge, so its error "says little", or it missed its target ratio. Such a run is drawn and listed, marked, but left
    /// out of the mean its curve goes through.
    /// </summary>
    public bool FellShort => Shortfalls.Any(s => s.LeavesMean);

    /// <summary>The shortfalls in a few words each, for a table or a warning.</summary>
    public string ShortfallText => string.Join("; ", Shortfalls.Select(s => s.Words));

    /// <summary>The ranks as <c>elr inspect</c> shows them: a number per layer, "dense" where a layer was kept dense.</summary>
    public string RankText => string.Join(", ", Ranks.Select(r => r < 0 ? "dense" : r.ToString()));

    /// <summary>What tells the reference networks of runs apart: the data set, the reference's test error and the number of
    /// weight layers. Two seeds of one architecture on one data set can end at the same error, which no log can tell apart.</summary>
    public string Network => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Dataset}, {Ranks.Count} weight layers, reference error {ReferenceError * 100:F2}%");
}
