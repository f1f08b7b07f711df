using System.Text.Json;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>The JSON log of an <c>elr compress</c> run: inputs, settings, every step's report and the outcome, every key in
/// camelCase (<see cref="LogJson"/>; the settings by <see cref="LogSettingNames"/>). <c>elr plot</c> reads it back
/// (<see cref="Sweep.SweepLogReader"/>); a checkpoint keeps its own copy of the step reports and never reads the log.</summary>
internal static class CompressionLog
{
    /// <summary>The log (for <see cref="Commands.ModelWithLog"/>) of the run that writes <paramref name="output"/>, of SHA-256
    /// <paramref name="outputSha256"/>, from <paramref name="model"/>
    /// (<paramref name="modelSha256"/> its digest as the run read it);
    /// <paramref name="latencyRatio"/> is the predicted latency ratio of the weight layers under the latency criterion, null
    /// (and so in the log) under the others; <paramref name="swap"/> is what --auto-resume set aside and took back, null when
    /// it set nothing aside.</summary>
    public static object Of(string model, string modelSha256, string output, string outputSha256, string dataset, LcOptions options, LcResult result, double storageRatio, double flopsRatio,
        double? latencyRatio, IReadOnlyList<GoalMiss> shortfalls, CheckpointSwap? swap)
    {
        var log = new
        {
            producerVersion = ExportMetadata.InformationalVersion,
            model,
            // The reference by content as well as by path, hashed as it was read: a nightly job retrains it in place.
            modelSha256,
            output,
            outputSha256,
            dataset,
            settings = options.ToProperties().ToDictionary(p => LogSettingNames.Of(p.Key), p => p.Value),
            referenceError = 1 - result.ReferenceAccuracy,
            errorBeforeFinetune = 1 - result.AccuracyBeforeFinetune,
            error = 1 - result.Accuracy,
            validationError = 1 - result.ValidationAccuracy,
            // With --validation: the held-out error and loss before the fine-tune (index 0) and after each epoch; with
            // --finetune-best, the epoch they chose (0: the network before the fine-tune).
            finetuneEpochKept = result.Finetune is { ChosenBest: true } chosen ? chosen.EpochKept : (int?)null,
            finetuneValidationErrors = result.Finetune?.Scores.Select(s => 1 - s.Accuracy),
            finetuneValidationLosses = result.Finetune?.Scores.Select(s => s.Loss),
            finetuneDiverged = result.Finetune?.Diverged,
            storageRatio,
            flopsRatio,
            latencyRatio,
            // The warnings' sentences, and the same misses for a program: a pipeline gating on the run reads
            // goalsMissed (goal, the bound asked, the value reached) instead of parsing English (elr plot does too).
            shortfalls = shortfalls.Select(s => s.Message),
            goalsMissed = shortfalls.Select(s => new { goal = JsonNamingPolicy.CamelCase.ConvertName(s.Goal.ToString()), asked = s.Asked, reached = s.Reached }),
            ranks = result.Steps[^1].Ranks,
            finalConstraintGap = result.FinalConstraintGap,
            finalRelativeGap = result.FinalRelativeGap,
            seconds = result.TotalSeconds,
            // A resumed run: the share of seconds its checkpoint's steps took when they ran.
            secondsBeforeResume = result.SecondsBeforeResume,
            steps = result.Steps,
            // --auto-resume over a checkpoint of other reference weights: where it went, and the one taken back in its place.
            checkpointSetAside = swap is null ? null : new { setAsideAs = swap.SetAsideAs, takenBack = swap.TakenBack },
        };
        return log;
    }
}
