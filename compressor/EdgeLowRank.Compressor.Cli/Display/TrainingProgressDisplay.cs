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
    /// <summary>Runs <paramref name="train"/> inside the display: it is given, per epoch, the reporter of that epoch's batches,
    /// and a callback for each finished epoch, which prints the epoch's line (a resumed run's checkpointed epochs first).</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <param name="batchesPerEpoch">Batches in one epoch.</param>
    /// <param name="train">Trains the epochs (<see cref="CheckpointedTraining.Run"/>).</param>
    public static TrainingRun Run(int epochs, int batchesPerEpoch, Func<Func<int, IProgress<BatchProgress>>, Action<TrainedEpoch>, TrainingRun> train)
    {
        TrainingRun? run = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("starting", maxValue: (double)epochs * batchesPerEpoch);
                run = train(_ => new BatchReporter(task, epochs, batchesPerEpoch), done =>
                {
                    (EpochResult result, double accuracy, double? validation) = (done.Result, done.TestAccuracy, done.ValidationAccuracy);
                    task.Value = (double)(result.Epoch + 1) * batchesPerEpoch;
                    AnsiConsole.MarkupLine(Markup.Escape(
                        $"epoch {result.Epoch + 1}/{epochs}: loss {result.Loss:F4}, lr {result.LearningRate:G4}, {result.SamplesPerSecond:N0} samples/s, "
                        + $"{result.Seconds:F1} s, {(validation is double v ? $"validation accuracy {v:P2}, " : "")}test accuracy {accuracy:P2}"));
                });
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return run!;
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
