using System.Globalization;
using System.Text.Json;
using EdgeLowRank.Compressor.Cli.Commands;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.IO;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>Reads the JSON logs that <c>elr compress --log</c> writes (see <see cref="Display.CompressionLog"/>), and those it
/// wrote before every key was camelCase (settings named "compress.target-ratio", steps' "Lambda"), which a sweep of hours
/// may still be made of.</summary>
internal static class SweepLogReader
{
    /// <summary>Reads one log; a missing file or a file that is not a compression log is a <see cref="UsageException"/> naming the file and the field.</summary>
    public static SweepPoint Read(string path)
    {
        FilePaths.RequireInput(path, "LOG", "write one with 'elr compress ... --log FILE'");
        var fields = new JsonFields(what => NotALog(path, what));
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = json.RootElement;
            JsonElement lastStep = fields.Array(root, "steps").EnumerateArray().LastOrDefault();
            if (lastStep.ValueKind != JsonValueKind.Object) throw NotALog(path, "its 'steps' are empty");
            var settings = fields.Object(root, "settings").EnumerateObject()
                .GroupBy(p => LogSettingNames.Of(p.Name)).ToDictionary(g => g.Key, g => g.Last().Value); // a name given twice: JSON's last wins
            return new SweepPoint(
                path,
                fields.Text(root, "dataset"),
                settings.TryGetValue("method", out JsonElement method) && method.ValueKind == JsonValueKind.String
                    ? method.GetString()! : throw NotALog(path, "its settings have no string 'method'"),
                Setting(settings),
                Setup(settings, root),
                Ratio(path, "storageRatio", fields.Number(root, "storageRatio")),
                Ratio(path, "flopsRatio", fields.Number(root, "flopsRatio")),
                Share(path, "error", fields.Number(root, "error")),
                Share(path, "referenceError", fields.Number(root, "referenceError")),
                fields.Number(lastStep, lastStep.TryGetProperty("Lambda", out _) ? "Lambda" : "lambda", "its last step"),
                fields.Wholes(fields.Array(root, "ranks"), "ranks"),
                SweepShortfallReader.Read(root, what => NotALog(path, what)));
        }
        catch (JsonException e)
        {
            throw NotALog(path, $"it is {JsonSyntax.Invalid(e)}");
        }
    }

    /// <summary>
    /// "target R" or "λ X" from the settings <c>elr compress</c> records, null when neither is there as text. The target comes
    /// first: a run given one records its λ as found per step, which is not a setting.
    /// </summary>
    private static string? Setting(IReadOnlyDictionary<string, JsonElement> settings) =>
        Recorded(settings, "targetRatio") is string ratio ? "target " + ratio
        : Recorded(settings, "lambda") is string lambda ? "λ " + lambda
        // Every layer's rank fixed: the ranks are what such a sweep varies (a review's two seeds of one --ranks were two
        // groups of one run each, not one mean).
        : Recorded(settings, "fixedRanks") is string ranks ? "--ranks " + ranks
        : null;

    /// <summary>
    /// The settings by which <see cref="SweepCurve"/> tells a method's curves apart, null when the log records none of them
    /// (such a run joins its method's curve, as before the split). Out: what a sweep varies, "lambda" and "targetRatio" (a run
    /// given a target records its λ as "per step"), and the seeds, "seed" and "curSeed" (which follows --seed), that a point's
    /// mean is taken over; a validation split names its seed too ("0.1 (split seed 3)"), cut off for the same reason.
    /// "method" is the curve itself, and the data set is no setting here: logs of two are refused as two networks. In: every
    /// other setting, because <c>elr compress</c> records only settings that change the result (not the thread count): the
    /// CUR ones, the C step's (criterion, keepDense, classifier, latencyTable, fillBudget, minFlopsRatio, ratioWarmup,
    /// rankGuard, minRankSaving), the L steps' (mu, steps, stopTolerance, epochsPerStep, batch, lr, momentum, weightDecay,
    /// keepVelocity, distillation, labelSmoothing, the validation share), the fine-tune's, and one a later version adds, so
    /// that it splits a curve rather than joins what it changed. In too: the reference model's path ("reference"), since a
    /// retrained reference of the same error is another network no other field tells apart. A setting that is off ("none")
    /// is left out, so an older log that predates a setting reads as having it off, as the version that wrote it ran.
    /// </summary>
    private static IReadOnlyDictionary<string, string>? Setup(IReadOnlyDictionary<string, JsonElement> settings, JsonElement root)
    {
        var setup = settings
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Key is not ("method" or "lambda" or "targetRatio" or "seed" or "curSeed"))
            .ToDictionary(p => p.Key, p => p.Value.GetString()!.Split(" (split seed")[0]);
        // Ranks that fix every layer are the run's setting (Setting), not its setup: leaving them in made each point a curve.
        if (Recorded(settings, "lambda") is null && Recorded(settings, "targetRatio") is null) setup.Remove("fixedRanks");
        if (setup.Values.All(v => v == "none")) return null;
        if (Recorded(settings, "targetRatio") is null)
            foreach ((string name, string value) in TargetOnly) setup[name] = value;
        foreach (string off in setup.Where(p => p.Value == "none").Select(p => p.Key).ToArray()) setup.Remove(off);
        // μ's growth follows --steps unless --mu-growth is given, and is then no second difference: a 2-step run's curve was
        // labelled by its μ 0.001·1972.152263053^k beside its steps.
        if (setup.GetValueOrDefault("mu") is string mu && int.TryParse(setup.GetValueOrDefault("steps"), out int steps)
            && mu.EndsWith(string.Create(CultureInfo.InvariantCulture, $"·{LcOptions.MuGrowthFor(steps):R}^k"), StringComparison.Ordinal))
            setup["mu"] = mu[..mu.IndexOf('·')] + "·a^k, a derived from --steps";
        if (root.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String) setup["reference"] = model.GetString()!;
        return setup;
    }

    /// <summary>
    /// The settings that exist with a target ratio only, at the value a target run has by default. A λ run records them
    /// "none" for "does not apply" (the budget fill) or has them without effect (the warm-up of a target it has not); read as
    /// the defaults, a λ sweep joins the target sweep of the same settings, as the two joined before curves were split.
    /// </summary>
    private static readonly (string Name, string Value)[] TargetOnly = [("fillBudget", "yes"), ("minFlopsRatio", "none"), ("ratioWarmup", "none")];

    private static string? Recorded(IReadOnlyDictionary<string, JsonElement> settings, string name) =>
        settings.TryGetValue(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is string text
            && text != "none" ? text : null;

    // A compressed model never has more parameters or MACs than its dense self (a rank that saves nothing stays dense), and an
    // error is a share of the test set: a log that says otherwise was edited or damaged, and would be drawn off the chart.
    private static double Ratio(string path, string name, double value) =>
        value >= 1 && double.IsFinite(value) ? value : throw NotALog(path, $"its '{name}' is {value}, where a compression gives a finite ratio of at least 1");

    private static double Share(string path, string name, double value) =>
        value is >= 0 and <= 1 ? value : throw NotALog(path, $"its '{name}' is {value}, where an error is a share between 0 and 1");

    private static UsageException NotALog(string path, string what) =>
        new($"'{path}' is not a compression log: {what}; give the files written by 'elr compress ... --log FILE'.");
}
