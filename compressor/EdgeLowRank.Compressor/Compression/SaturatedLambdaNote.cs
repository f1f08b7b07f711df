using static System.FormattableString;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// The note after a --lambda run whose last C step chose, for every layer it may factorize, the cheapest choice the rank
/// guard admits (<see cref="LcStepReport.LambdaSaturated"/>): λ has passed the point where it shapes the network, and the
/// guard, not λ, set the ranks and so the error. A trial's digits MLP gave the same run, 57.94% error at 12.09×, at λ 1 and
/// at λ 1000, and its only advice was about convergence (more epochs per L step), which does not bring the error down.
/// </summary>
public static class SaturatedLambdaNote
{
    /// <summary>The note for a run of <paramref name="options"/> whose last step is <paramref name="last"/>, or null when λ
    /// was searched for a target ratio, or the last C step was not saturated (or was read from an older checkpoint).</summary>
    /// <param name="options">The run's settings.</param>
    /// <param name="last">The last LC step's report.</param>
    /// <param name="layerNames">The names of the compressible layers, in the order of <see cref="LcStepReport.Ranks"/>.</param>
    public static string? For(LcOptions options, LcStepReport last, IReadOnlyList<string> layerNames)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(last);
        if (options.TargetRatio is not null || last.LambdaSaturated != true) return null;
        string ranks = string.Join(", ", last.Ranks.Select((r, l) => $"{layerNames[l]} {(r < 0 ? "dense" : r.ToString(System.Globalization.CultureInfo.InvariantCulture))}"));
        return Invariant($"λ {options.Lambda:R} is past the point where λ shapes the network: at the last C step every layer it may factorize took ")
            + Invariant($"the cheapest rank the rank guard (--max-relative-error {options.MaxRelativeError:R}) admits ({ranks}), so any larger λ gives the same ranks, ")
            + Invariant($"and the guard, not λ, set the error ({last.TestError * 100:F2}% at the last C step). ")
            + "Give a smaller λ to trade less accuracy (docs/RESULTS.md's λ sweeps show the range that matters), or --target-ratio R for a ratio.";
    }
}
