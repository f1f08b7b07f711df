using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Scoring;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr eval MODEL [--dataset NAME]</c>: the accuracy and confusion matrix of an .elr file on a
/// data set's test part, computed by the runtime's <see cref="InferenceSession"/> on the file, so the
/// figure is the one the board will reproduce.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .elr file." };
        var dataset = SharedOptions.DatasetOrRecorded();
        var batch = new Option<int>("--batch") { Description = "Samples per session run.", DefaultValueFactory = _ => 256 };
        var threads = SharedOptions.MeasuringThreads();
        var json = new Option<bool>("--json") { Description = "Write the result as one JSON document on stdout (accuracy, counts, each class's recall and "
            + "precision, the confusion matrix; the names of elr-run run --json), and everything else on stderr." };
        var command = new Command("eval", "Measure a model file's test accuracy and confusion matrix with the runtime.") { model, dataset, batch, threads, json };
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
            Evaluate(parse.GetRequiredValue(model), parse.GetValue(dataset), parse.GetRequiredValue(batch), parse.GetRequiredValue(threads), parse.GetValue(json), cancellationToken),
            CancellationToken.None));
        return command;
    }

    private static int Evaluate(FileInfo file, string? datasetName, int batch, int threads, bool json, CancellationToken cancellationToken)
    {
        if (json) JsonReport.KeepStdoutForTheDocument();
        if (batch is < 1 or > TrainingLimits.MaxBatchSize) throw new UsageException($"--batch must be between 1 and {TrainingLimits.MaxBatchSize:N0}, not {batch:N0}.");
        SharedOptions.RequireThreads(threads);
        FilePaths.RequireInput(file.ToString(), "MODEL", $"train one with 'elr train ... -o {file.Name}'");
        using Model loaded = ModelReader.Load(file.FullName);
        using var session = new InferenceSession(loaded, Session(loaded, batch, threads));
        DatasetInfo? named = datasetName is null ? null : GivenDataset.Resolve(datasetName, ModelFit.ClassesOf(session.Model));
        DatasetInfo info = RecordedDataset.GivenOrRecorded(file.Name, session.Model.Metadata, named);
        RecordedDataset.RequireFit(file.Name, session.Model, info);
        GivenDataset.NoteTaken(datasetName, session.Model.Metadata);
        Dataset test = FetchProgressDisplay.LoadTest(info, cancellationToken).Test;

        ConfusionMatrix matrix = Score(session, test, batch, cancellationToken);

        if (json) JsonReport.Write(EvalJson.Of(file.FullName, test.Name, matrix, test.ClassNames, session.Model.Metadata));
        else
        {
            AnsiConsole.Write(ConfusionMatrixTable.Create(matrix, test.ClassNames));
            string recorded = session.Model.Metadata.Accuracy is double stored ? $" (recorded in the file: {stored:P2} on {session.Model.Metadata.Dataset})" : "";
            AnsiConsole.MarkupLine(Markup.Escape($"{file.Name} on {test.Name}: accuracy {matrix.Accuracy:P2} ({matrix.Correct:N0}/{matrix.Total:N0}), error {1 - matrix.Accuracy:P2}{recorded}"));
        }
        // A model made elsewhere and imported without --dataset or --pixel-max records no scale, so elr-run and libelr read
        // its uint8 input by 255: on the digits' 0–16 bytes a user trial's import scored 13.65% there against 94.99% here.
        if (session.Model.Metadata.InputPixelMax is null && info.IntegerPixelMax is int scale && scale != byte.MaxValue)
            Console.Error.WriteLine($"elr: note: {file.Name} records no integer pixel scale, so elr-run and libelr read its uint8 input as p / 255, "
                + $"where the pixels of {info.Name} are 0–{scale}: on them it would not score this. Record the scale by importing it again with "
                + $"--pixel-max {scale} (or --dataset {info.Name}), or give elr-run --pixel-max {scale}.");
        if (matrix.NonFinite > 0)
            Console.Error.WriteLine($"elr: warning: {matrix.NonFinite:N0} of {matrix.Total:N0} samples got NaN or infinite scores, so the accuracy above means "
                + "nothing: the model's weights hold NaN or infinite values, or its outputs overflow float32.");
        return 0;
    }

    /// <summary>The test accuracy of <paramref name="model"/> as elr eval measures it, through a runtime session of eval's
    /// default batch and <paramref name="threads"/> threads, for the commands that record one (quantize, import-onnx).</summary>
    internal static double Accuracy(Model model, Dataset test, int threads, CancellationToken cancellationToken)
    {
        const int Batch = 256;
        using var session = new InferenceSession(model, Session(model, Batch, threads));
        return Score(session, test, Batch, cancellationToken).Accuracy;
    }

    /// <summary>
    /// A session of batches of <paramref name="batch"/> samples, each run on <paramref name="threads"/> threads: the session
    /// splits a batch into parts of samples, one per thread, whose outputs are bit for bit one thread's, so the accuracy
    /// does not depend on --threads. A model whose activations hold fewer samples in one pass runs in passes of what it
    /// holds (the same outputs; it exited 70 here).
    /// </summary>
    private static SessionOptions Session(Model model, int batch, int threads) =>
        new() { MaxBatchSize = InferenceSession.FittingBatchSize(model, batch), Threads = threads };

    /// <summary>Runs every sample of <paramref name="test"/> through the runtime session (what the board runs) and tallies the predictions.</summary>
    internal static ConfusionMatrix Score(InferenceSession session, Dataset test, int batch, CancellationToken cancellationToken)
    {
        var matrix = new ConfusionMatrix(test.ClassCount);
        int size = test.SampleShape.Size, classes = test.ClassCount;
        var scores = new float[batch * classes];
        for (int start = 0; start < test.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batch, test.Count - start);
            session.Run(test.Pixels.Span.Slice(start * size, count * size), scores.AsSpan(0, count * classes), count);
            matrix.Add(scores.AsSpan(0, count * classes), test.Labels.Span.Slice(start, count));
        }
        return matrix;
    }
}
