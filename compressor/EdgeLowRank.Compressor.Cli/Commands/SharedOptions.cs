using System.CommandLine;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>The options several commands take, declared once so they read and default the same everywhere.</summary>
internal static class SharedOptions
{
    /// <summary>--dataset NAME|FOLDER (required): one of the catalog's data sets, in any case, or a folder of .npy arrays (<see cref="DatasetArgument"/>).</summary>
    public static Option<string> Dataset() =>
        new("--dataset") { Description = $"The data set: {DatasetChoices}.", Required = true };

    /// <summary>--dataset NAME|FOLDER, defaulting to the data set the model's metadata names (<see cref="RecordedDataset"/>).</summary>
    public static Option<string?> DatasetOrRecorded() =>
        new("--dataset") { Description = $"The data set: {DatasetChoices} (default: the catalog data set the model's metadata names; a folder must be given)." };

    /// <summary>What --dataset takes, for help texts.</summary>
    public static string DatasetChoices =>
        $"{string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}, or a FOLDER of your own NumPy arrays holding {NpyFolderDataset.Layout} ({DatasetArgument.Rule})";

    /// <summary>Refuses a --validation share that, rounded per class, would hold out no sample of <paramref name="train"/> or
    /// every one; checked after the data loads and before anything is printed (the range was checked before).</summary>
    public static void RequireHoldOut(Dataset train, double? share)
    {
        if (share is double f && train.HoldOutProblem(f) is string problem) throw new UsageException($"--validation: {problem}");
    }

    /// <summary>--threads N: the threads for training, compression and evaluation; every core unless given.</summary>
    public static Option<int> Threads() =>
        new("--threads") { Description = "Threads for training, compression and evaluation; the default is this machine's core count.", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>
    /// --threads of the commands that only measure a model's accuracy (eval, quantize, import-onnx): one by default. Each
    /// thread past the first holds an activation arena for the whole batch of 256 (12 MiB for inverted-residuals: eval peaked
    /// at 97 MB on one thread, 110 MB on two), and on this 2-core machine two threads measured no faster.
    /// </summary>
    public static Option<int> MeasuringThreads() =>
        new("--threads") { Description = "Threads to split each batch of 256 over while measuring the accuracy (the scores are one thread's, bit for bit); each holds an activation arena for the whole batch.", DefaultValueFactory = _ => 1 };

    /// <summary>Refuses a --threads value a runtime session cannot take, for the commands that only measure (train and compress
    /// check theirs with their other settings).</summary>
    public static void RequireThreads(int threads)
    {
        if (threads is < 1 or > TrainingLimits.MaxThreads) throw new UsageException($"--threads must be between 1 and {TrainingLimits.MaxThreads}, not {threads:N0}.");
    }
}
