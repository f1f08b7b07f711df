using System.Text.RegularExpressions;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>
/// How two sets of LC settings differ, named as <c>elr compress</c> takes them ("--steps 3 there, 2 here"): a checkpoint's
/// fingerprint against this run's (<see cref="LearningCompression"/> refuses to resume another run), and the settings a
/// compressed model records against this run's (<c>elr demo</c> makes a model of other settings again).
/// </summary>
public static partial class SettingDifferences
{
    /// <summary>What differs between two fingerprints, setting by setting, named as <c>elr compress</c> takes it: "--steps 3 there, 2 here".</summary>
    internal static string BetweenFingerprints(string saved, string current) =>
        Differences(FingerprintParts(saved), FingerprintParts(current)) is { Length: > 0 } differences ? differences : "other model or settings";

    /// <summary>Whether two fingerprints name the same network and settings and differ only in the reference's weights: the
    /// reference was trained again in place, so the checkpoint can never be resumed by this command.</summary>
    internal static bool OnlyReferenceDiffers(string saved, string current) =>
        DifferingKeys(FingerprintParts(saved), FingerprintParts(current)).SequenceEqual(["reference"]);

    /// <summary>The reference's weights digest a fingerprint names ("xxh64 1f2e…" → "1f2e…").</summary>
    internal static string ReferenceDigest(string fingerprint) => FingerprintParts(fingerprint)["reference"].Split(' ')[^1];

    /// <summary>
    /// What differs between the settings a compressed model records (the <c>compress.*</c> properties of its metadata) and
    /// <paramref name="options"/>, named as <c>elr compress</c> takes them ("--target-ratio 8 there, 10 here"); empty when
    /// nothing does. A setting the model does not record (it predates the setting) differs unless it is off here.
    /// </summary>
    public static string FromRecorded(IReadOnlyDictionary<string, string> recorded, LcOptions options) =>
        Listed(options.ToProperties()
            .Select(p => (p.Key, Theirs: recorded.GetValueOrDefault(p.Key), Ours: p.Value))
            .Where(s => s.Theirs is null ? s.Ours != "none" : s.Theirs != s.Ours)
            .Select(s => Difference(s.Key, s.Theirs is null ? "not recorded" : Shown(s.Key, Off(s.Theirs)), Shown(s.Key, Off(s.Ours)))));

    /// <summary>A property's value as a fingerprint holds it: a setting that is off ("none") is absent.</summary>
    private static string? Off(string value) => value == "none" ? null : value;

    /// <summary>The settings that exist for CUR alone: when the method differs they differ with it, and naming them too read
    /// as more to change ("cur-core projection there, unset here").</summary>
    private static readonly string[] CurOnly = ["compress.selection", "compress.oversampling", "compress.cur-core", "compress.cur-seed"];

    private static string Differences(Dictionary<string, string> theirs, Dictionary<string, string> ours) =>
        Listed(DifferingKeys(theirs, ours)
            .Where(k => !CurOnly.Contains(k) || theirs.GetValueOrDefault("compress.method") == ours.GetValueOrDefault("compress.method"))
            .Select(k => Difference(k, Shown(k, theirs.GetValueOrDefault(k)), Shown(k, ours.GetValueOrDefault(k)))));

    /// <summary>One setting that differs, as both messages name it: "--steps 3 there, 2 here".</summary>
    private static string Difference(string key, string theirs, string ours) => Worded(OptionNamed(key), theirs, ours) + Hint(key, theirs, ours);

    /// <summary>
    /// What differs between two runs' settings by key (a checkpoint's and this run's), in the wording of <c>elr compress</c>'s
    /// refusals: "--seed 1 there, 2 here; --batch 32 there, 16 here", each key named by <paramref name="optionNamed"/>, a key
    /// one side lacks "unset" there. <c>elr train</c>'s checkpoint refusal (<see cref="Training.CheckpointedTraining"/>) says it so.
    /// </summary>
    internal static string Between(IReadOnlyDictionary<string, string> theirs, IReadOnlyDictionary<string, string> ours, Func<string, string> optionNamed) =>
        Listed(DifferingKeys(theirs, ours).Select(k => Worded(optionNamed(k), theirs.GetValueOrDefault(k) ?? "unset", ours.GetValueOrDefault(k) ?? "unset")));

    /// <summary>The keys whose values differ (a key one side lacks differs), <paramref name="theirs"/>' order first.</summary>
    internal static IEnumerable<string> DifferingKeys(IReadOnlyDictionary<string, string> theirs, IReadOnlyDictionary<string, string> ours) =>
        theirs.Keys.Union(ours.Keys).Where(k => theirs.GetValueOrDefault(k) != ours.GetValueOrDefault(k));

    /// <summary>One setting that differs, in the one wording of every such message: "--steps 3 there, 2 here".</summary>
    private static string Worded(string option, string theirs, string ours) => $"{option} {theirs} there, {ours} here";

    /// <summary>The settings that differ as one list: "--steps 3 there, 2 here; --seed 1 there, 2 here".</summary>
    private static string Listed(IEnumerable<string> differences) => string.Join("; ", differences);

    /// <summary>
    /// Why a μ schedule may differ under the same command: before --steps set the growth (commit ed50be2), every run grew μ
    /// by 1.25, so an older checkpoint of a run with another --steps is refused until --mu-growth 1.25 says so again.
    /// </summary>
    private static string Hint(string key, string theirs, string ours) => key switch
    {
        "compress.mu" when theirs.EndsWith("·1.25^k", StringComparison.Ordinal) && !ours.EndsWith("·1.25^k", StringComparison.Ordinal)
            => " (elr compress grew μ by 1.25 for any --steps before 2026-12-06; add --mu-growth 1.25 to resume a run started then)",
        // No option sets the sampling seed since it follows --seed, so the older run's 0 cannot be given again.
        "compress.cur-seed" when theirs == "0" && ours != "0"
            => " (before 2026-12-07 --selection sampling drew from seed 0 whatever --seed said; a checkpoint of such a run cannot be resumed: start it again)",
        _ => "",
    };

    /// <summary>
    /// A fingerprint's parts by key: "model|parameters|key=value|…". A value may hold '|' itself (the rank guard's
    /// "e(r)/|W|^2"), so the settings are split only where the next key begins.
    /// </summary>
    private static Dictionary<string, string> FingerprintParts(string fingerprint)
    {
        string[] parts = SettingStart().Split(fingerprint);
        string[] identity = parts[0].Split('|', 2);
        var byKey = new Dictionary<string, string> { ["model"] = identity[0], ["parameters"] = identity.ElementAtOrDefault(1) ?? "" };
        foreach (string part in parts.Skip(1)) byKey[part[..part.IndexOf('=')]] = part[(part.IndexOf('=') + 1)..];
        return byKey;
    }

    [GeneratedRegex(@"\|(?=(?:reference|compress\.[a-z-]+)=)")]
    private static partial Regex SettingStart();

    /// <summary>A part's value as the message shows it: a setting that is off is absent from the fingerprint.</summary>
    private static string Shown(string key, string? value) => key == "compress.fill-budget" ? (value is null ? "off" : "on") : value ?? "unset";

    /// <summary>
    /// How a fingerprint's part is named to the user: a setting of <see cref="LcOptions.ToProperties"/> by the command-line
    /// option(s) behind it (the key without "compress." is the option's name except for these, and the few settings that
    /// have no option keep their plain name), the reference by its weights.
    /// </summary>
    private static string OptionNamed(string property) => property switch
    {
        "reference" => "the reference's weights",
        "compress.mu" => "--mu0/--mu-growth",
        "compress.lr" => "--lr/--lr-decay",
        "compress.fill-budget" => "the budget fill (--no-fill-budget turns it off)",
        "compress.distillation" => "--distill-weight/--distill-temperature",
        "compress.rank-guard" => "--max-relative-error",
        "compress.fixed-ranks" => "--ranks",
        "compress.classifier" => "the classifier (--compress-classifier factorizes it)",
        "compress.finetune" => "--finetune-epochs/--finetune-lr/--finetune-lr-decay/--finetune-weight-decay",
        "compress.cur-core" or "compress.cur-seed" or "compress.stop-tolerance" or "compress.momentum" => property["compress.".Length..],
        _ when property.StartsWith("compress.", StringComparison.Ordinal) => "--" + property["compress.".Length..],
        _ => property,
    };
}
