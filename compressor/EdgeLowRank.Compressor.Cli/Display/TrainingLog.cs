using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>The JSON log of an <c>elr train</c> run: the data set, the architecture, the settings, every epoch's rate, loss,
/// errors and time (the history Keras's <c>fit</c> returns), the outcome, and what <c>--auto-resume</c> set aside, every key in
/// camelCase (<see cref="LogJson"/>; the settings by <see cref="LogSettingNames"/>).</summary>
internal static class TrainingLog
{
    /// <summary>The log (for <see cref="Commands.ModelWithLog"/>) of the run that trained <paramref name="network"/> and writes
    /// <paramref name="output"/>, of SHA-256 <paramref name="outputSha256"/>; <paramref name="validation"/> is the share held out
    /// (null without --validation), <paramref name="swap"/> what --auto-resume set aside and took back (null when it set nothing aside).</summary>
    public static object Of(Network network, string dataset, TrainingOptions options, double? validation, TrainingRun run, string output, string outputSha256,
        CheckpointSwap? swap)
    {
        string ranks = FixedRanks.Describe(network);
        var log = new
        {
            producerVersion = ExportMetadata.InformationalVersion,
            model = network.Name,
            // Layers trained factorized from the start (--ranks), as "fc1=19, fc2=11"; null for the dense architecture.
            ranks = ranks.Length == 0 ? null : ranks,
            parameters = network.ParameterCount,
            dataset,
            output,
            outputSha256,
            settings = options.ToProperties().ToDictionary(p => LogSettingNames.Of(p.Key), p => p.Value),
            validation,
            error = 1 - run.Epochs[^1].TestAccuracy,
            validationError = 1 - run.Epochs[^1].ValidationAccuracy,
            seconds = run.Seconds,
            // A resumed run: the epochs its checkpoint held and the seconds they took when they ran.
            resumedEpochs = run.ResumedEpochs,
            secondsBeforeResume = run.SecondsBeforeResume,
            // The test part changed between a stop and the resume: the epochs before it were scored on other images.
            testPartChanged = run.TestPartChanged,
            epochs = run.Epochs.Select(e => new
            {
                epoch = e.Result.Epoch + 1,
                learningRate = e.Result.LearningRate,
                loss = e.Result.Loss,
                testError = 1 - e.TestAccuracy,
                validationError = 1 - e.ValidationAccuracy,
                seconds = e.Result.Seconds,
                samplesPerSecond = e.Result.SamplesPerSecond,
            }),
            // --auto-resume over a checkpoint of other training samples: where it went, and the one taken back in its place.
            checkpointSetAside = swap is null ? null : new { setAsideAs = swap.SetAsideAs, takenBack = swap.TakenBack },
        };
        return log;
    }
}
