namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// One finished <c>elr compress</c> run as a point of an error-against-compression curve, read from its
/// JSON log. <paramref name="Lambda"/> is the λ of the last C step (the one the bisection settled on
/// when the run was given a target ratio).
/// </summary>
internal sealed record SweepPoint(
    string Log,
    string Method,
    double StorageRatio,
    double FlopsRatio,
    double Error,
    double ReferenceError,
    double Lambda,
    IReadOnlyList<int> Ranks)
{
    /// <summary>The ranks as <c>elr inspect</c> shows them: a number per layer, "dense" where a layer was kept dense.</summary>
    public string RankText => string.Join(", ", Ranks.Select(r => r < 0 ? "dense" : r.ToString()));
}
