using EdgeLowRank.Compressor.Training;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// Shows a training run: one progress bar over all batches of all epochs (so the remaining-time
/// column is the ETA of the whole run) whose description carries the epoch, batch, running loss and
/// speed, and one line per finished epoch with its validation accuracy (when a share is held out) and test accuracy.
/// </summary>
internal static class TrainingProgressDisplay
{
    /// <summary>Calls <paramref name="runEpoch"/> for every epoch inside the display and returns their results.</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <param name="batchesPerEpoch">Batches in one epoch.</param>
    /// <param name="runEpoch">Trains one epoch, reporting each batch; returns the epoch's result, its test accuracy and its
    /// validation accuracy (null without a validation part).</param>
    public static IReadOnlyList<(EpochResult Result, double TestAccuracy, double? ValidationAccuracy)> Run(
        int epochs, int batchesPerEpoch, Func<int, IProgress<BatchProgress>, (EpochResult, double, double?)> runEpoch)
    {
        var results = new List<(EpochResult, double, double?)>();
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("starting", maxValue: (double)epochs * batchesPerEpoch);
                for (int epoch = 0; epoch < epochs; epoch++)
                {
                    var progress = new BatchReporter(task, epochs, batchesPerEpoch);
                    var (result, accuracy, validation) = runEpoch(epoch, progress);
                    results.Add((result, accuracy, validation));
                    AnsiConsole.MarkupLine(Markup.Escape(
                        $"epoch {epoch + 1}/{epochs}: loss {result.Loss:F4}, lr {result.LearningRate:G4}, {result.SamplesPerSecond:N0} samples/s, "
                        + $"{result.Seconds:F1} s, {(validation is double v ? $"validation accuracy {v:P2}, " : "")}test accuracy {accuracy:P2}"));
                }
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return results;
    }

    /// <summary>Moves the bar and rewrites the description (synchronously: the trainer reports from its own thread).</summary>
    private sealed class BatchReporter(ProgressTask task, int epochs, int batchesPerEpoch) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            task.Value = (double)value.Epoch * batchesPerEpoch + value.Batch;
            task.Description = $"epoch {value.Epoch + 1}/{epochs} · batch {value.Batch}/{value.Batches} · loss {value.Loss:F4} · {value.SamplesPerSecond:N0} samples/s";
        }
    }
}
