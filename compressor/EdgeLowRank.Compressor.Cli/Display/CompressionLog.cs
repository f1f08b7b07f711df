using System.Text.Json;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>The JSON log of an <c>elr compress</c> run: inputs, settings, every step's report and the outcome.</summary>
internal static class CompressionLog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // The settings read "0.001·1.25^k" and "e(r)/|W|^2 <= 0.5": written as themselves, not as \u00B7, for the person reading the log.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the log to <paramref name="path"/>.</summary>
    public static void Write(string path, string model, string dataset, LcOptions options, LcResult result, double storageRatio, double flopsRatio,
        IReadOnlyList<string> shortfalls)
    {
        var log = new
        {
            model,
            dataset,
            settings = options.ToProperties().ToDictionary(p => p.Key, p => p.Value),
            referenceError = 1 - result.ReferenceAccuracy,
            errorBeforeFinetune = 1 - result.AccuracyBeforeFinetune,
            error = 1 - result.Accuracy,
            validationError = 1 - result.ValidationAccuracy,
            storageRatio,
            flopsRatio,
            shortfalls,
            ranks = result.Steps[^1].Ranks,
            finalConstraintGap = result.FinalConstraintGap,
            finalRelativeGap = result.FinalRelativeGap,
            seconds = result.Seconds,
            steps = result.Steps,
        };
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(log, Json));
    }
}
