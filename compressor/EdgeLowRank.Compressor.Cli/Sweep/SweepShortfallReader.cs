using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.IO;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// The goals a compression log says its run missed, as <see cref="SweepShortfall"/>s. Logs written since 2026-12-07 hold
/// them as <c>goalsMissed</c> (<see cref="GoalMiss"/>: goal, bound asked, value reached); older ones only as the warnings'
/// sentences in <c>shortfalls</c> (since 2026-11-29; none before), which are read by their wording, as a sweep of hours may
/// be made of such logs.
/// </summary>
internal static partial class SweepShortfallReader
{
    /// <summary>Reads <paramref name="root"/>'s misses; <paramref name="notALog"/> makes the error for a field of the wrong shape.</summary>
    public static IReadOnlyList<SweepShortfall> Read(JsonElement root, Func<string, Exception> notALog)
    {
        if (root.TryGetProperty("goalsMissed", out JsonElement goals) && goals.ValueKind != JsonValueKind.Null)
        {
            if (goals.ValueKind != JsonValueKind.Array || goals.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.Object))
                throw notALog("its 'goalsMissed' are not a list of objects");
            var fields = new JsonFields(what => notALog($"a goal it missed {what}"));
            return goals.EnumerateArray().Select(g => Of(fields.Text(g, "goal"), Number(g, "asked", notALog), Number(g, "reached", notALog))).ToArray();
        }
        if (!root.TryGetProperty("shortfalls", out JsonElement shortfalls) || shortfalls.ValueKind == JsonValueKind.Null) return [];
        if (shortfalls.ValueKind != JsonValueKind.Array || shortfalls.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
            throw notALog("its 'shortfalls' are not a list of texts");
        return shortfalls.EnumerateArray().Select(s => FromSentence(s.GetString()!)).ToArray();
    }

    private static SweepShortfall Of(string goal, double asked, double reached)
    {
        string bound = asked.ToString("R", CultureInfo.InvariantCulture);
        return goal switch
        {
            "convergence" => new("did not converge", LeavesMean: true),
            "targetRatio" => new("missed --target-ratio " + bound, LeavesMean: true),
            "minFlopsRatio" => new("missed --min-flops-ratio " + bound, LeavesMean: true),
            // A model whose outputs are NaN has no error to average, whatever goal it was given (a sentence of an older log
            // says so in words no pattern below reads, and leaves the mean too).
            "maxErrorRise" when double.IsNaN(reached) => new($"error not a number (over --max-error-rise {bound})", LeavesMean: true),
            "maxErrorRise" => new(string.Create(CultureInfo.InvariantCulture, $"error rose {reached:F2} points (over --max-error-rise {bound})"), LeavesMean: false),
            // A goal a later version checks: named as recorded, and taken to leave the mean, as a miss this version cannot weigh.
            _ => new("missed " + goal, LeavesMean: true),
        };
    }

    /// <summary>A number, or NaN where the log has one (written as the string "NaN": a model whose outputs are NaN).</summary>
    private static double Number(JsonElement goal, string name, Func<string, Exception> notALog) =>
        goal.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : value.ValueKind == JsonValueKind.String && value.GetString() == "NaN" ? double.NaN
        : throw notALog($"a goal it missed has no number '{name}'");

    /// <summary>A sentence <c>elr compress</c> warned with, by its wording; one of another wording is kept whole.</summary>
    private static SweepShortfall FromSentence(string sentence) =>
        sentence.Contains("far from a low-rank network", StringComparison.Ordinal) ? new("did not converge", LeavesMean: true)
        : MissedBound().Match(sentence) is { Success: true } missed ? new("missed " + missed.Groups[1].Value.TrimEnd('.'), LeavesMean: true)
        : ErrorRose().Match(sentence) is { Success: true } rose ? new($"error rose {rose.Groups[1].Value} points (over {rose.Groups[2].Value})", LeavesMean: false)
        : new(sentence, LeavesMean: true);

    [GeneratedRegex(@"short of (--[a-z-]+ [^\s:,;]+)")]
    private static partial Regex MissedBound();

    [GeneratedRegex(@"^The test error rose ([0-9.]+) points .*more than (--max-error-rise [^\s:]+)")]
    private static partial Regex ErrorRose();
}
