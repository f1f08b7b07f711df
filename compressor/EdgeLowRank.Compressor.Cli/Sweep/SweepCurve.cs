using System.Text.RegularExpressions;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// The runs of one method drawn as one line: they differ only in what a sweep varies (λ or the target ratio) and in their
/// seeds. <paramref name="Variant"/> names what sets the curve apart from the method's others ("--epochs-per-step 1,
/// fine-tune 0 epochs"), null when the method has one curve; <paramref name="SplitBy"/> names the settings in which the
/// method's curves differ, empty then.
/// </summary>
internal sealed partial record SweepCurve(string Method, string? Variant, IReadOnlyList<string> SplitBy, IReadOnlyList<SweepGroup> Groups)
{
    /// <summary>The curve as the tables name it: the method, then its variant ("svd, --steps 4").</summary>
    public string Name => Variant is null ? Method : $"{Method}, {Variant}";

    /// <summary>
    /// The points as curves, ordered by method, then by variant, numbers by value (<see cref="NumberAwareOrder"/>). A
    /// method's runs are split by their setups (<see cref="SweepPoint.Setup"/>): a run of 1-epoch L steps joined into the
    /// line of 5-epoch runs drew a curve through what neither schedule gives. A run whose log records no setup joins its method's curve while there is one, and is
    /// a curve of its own ("settings not recorded") beside several.
    /// </summary>
    public static IReadOnlyList<SweepCurve> Of(IEnumerable<SweepPoint> points) =>
        points.GroupBy(p => p.Method).OrderBy(m => m.Key, StringComparer.Ordinal).SelectMany(Split).ToArray();

    private static IEnumerable<SweepCurve> Split(IGrouping<string, SweepPoint> method)
    {
        SweepPoint[][] setups = method.Where(p => p.Setup is not null).GroupBy(p => Key(p.Setup!)).Select(s => s.ToArray()).ToArray();
        if (setups.Length <= 1) return [new SweepCurve(method.Key, null, [], SweepGroup.Of(method))];
        IReadOnlyDictionary<string, string>[] each = setups.Select(s => s[0].Setup!).ToArray();
        string[] differing = each.SelectMany(s => s.Keys).Distinct()
            .Where(name => each.Select(s => s.GetValueOrDefault(name)).Distinct().Count() > 1).ToArray();
        SweepPoint[] unrecorded = method.Where(p => p.Setup is null).ToArray();
        string[] names = differing.Select(Named).ToArray();
        return setups
            .Select(s => new SweepCurve(method.Key, string.Join(", ", differing.Select(name => $"{Named(name)} {Shown(name, s[0].Setup!, each)}")), names, SweepGroup.Of(s)))
            .Concat(unrecorded.Length == 0 ? [] : [new SweepCurve(method.Key, "settings not recorded", names, SweepGroup.Of(unrecorded))])
            .OrderBy(c => c.Variant, NumberAwareOrder.Instance);
    }

    /// <summary>A setup as one text, equal for equal setups whatever the order of the log's keys.</summary>
    private static string Key(IReadOnlyDictionary<string, string> setup) =>
        string.Join('\n', setup.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>
    /// A setting's value in this setup, shortened for a legend to the parts that differ between the setups (the fine-tune's
    /// "30 epochs" of "30 epochs, lr 0.0085·0.9^e, weight decay 0"), without the asides in parentheses; "none" for off.
    /// </summary>
    private static string Shown(string name, IReadOnlyDictionary<string, string> setup, IReadOnlyList<IReadOnlyDictionary<string, string>> each)
    {
        string[] Parts(IReadOnlyDictionary<string, string> s) => Aside().Replace(s.GetValueOrDefault(name) ?? "none", "").Split(", ");
        string[] differ = Parts(setup).Where(part => !each.All(other => Parts(other).Contains(part))).ToArray();
        return differ.Length > 0 ? string.Join(", ", differ) : setup.GetValueOrDefault(name) ?? "none";
    }

    /// <summary>A setting named by the option of <c>elr compress</c> that sets it; in words where none (or several) do.</summary>
    internal static string Named(string name) => name switch
    {
        "selection" or "oversampling" or "criterion" or "keepDense" or "latencyTable" or "minFlopsRatio" or "steps" or "epochsPerStep"
            or "batch" or "ratioWarmup" or "weightDecay" or "keepVelocity" or "labelSmoothing" or "minRankSaving" or "validation"
            => "--" + Capital().Replace(name, c => "-" + c.Value.ToLowerInvariant()),
        "fixedRanks" => "--ranks",
        "mu" => "μ",
        "finetune" => "fine-tune",
        _ => Capital().Replace(name, c => " " + c.Value.ToLowerInvariant()),
    };

    [GeneratedRegex(@" \([^)]*\)")]
    private static partial Regex Aside();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex Capital();
}
