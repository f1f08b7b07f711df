using System.CommandLine;
using System.Diagnostics;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary><c>elr train</c>: trains a zoo model on a data set and writes it as an .elr file with its metadata.</summary>
internal static class TrainCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        // The defaults are the library's, so `elr train` and a program using TrainingOptions train alike.
        var defaults = new TrainingOptions();
        var schedule = (ExponentialSchedule)defaults.Schedule;
        var dataset = SharedOptions.Dataset();
        var model = new Option<string>("--model") { Description = $"The architecture: {string.Join("; ", ModelZoo.Names.Select(n => $"{n} ({ModelZoo.Describe(n)})"))}.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Samples per SGD step.", DefaultValueFactory = _ => defaults.BatchSize };
        var rate = new Option<double>("--lr") { Description = "Initial learning rate.", DefaultValueFactory = _ => schedule.Initial };
        var decay = new Option<double>("--lr-decay") { Description = "Learning-rate factor per epoch (exponential), or per step with --lr-step.", DefaultValueFactory = _ => schedule.Decay };
        var step = new Option<int?>("--lr-step") { Description = "Apply --lr-decay every N epochs (a step schedule) instead of every epoch." };
        var momentum = new Option<double>("--momentum") { Description = "Nesterov momentum.", DefaultValueFactory = _ => defaults.Momentum };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay on the weights (not the biases).", DefaultValueFactory = _ => defaults.WeightDecay };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε: each sample's target becomes (1−ε)·its label + ε spread over all classes (0: off).", DefaultValueFactory = _ => defaults.LabelSmoothing };
        var ranks = new Option<string?>("--ranks") { Description = "Train these layers as factorized layers of fixed rank from a random start, "
            + "as layer=rank pairs (e.g. fc1=19,fc2=11): the compressed shape trained directly, the baseline to compare a compression with." };
        var validation = new Option<double?>("--validation") { Description = "Hold out this share of each class of the training set (e.g. 0.1), "
            + "train on the rest, and report the accuracy on it after every epoch: a score to choose settings by without looking at the test set." };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the initialization, the shuffling and the --validation split.", DefaultValueFactory = _ => defaults.Seed };
        var threads = SharedOptions.Threads();
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .elr file to write.", Required = true };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = $"Folder for a checkpoint after every epoch ({CheckpointedTraining.CheckpointFileName})." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --checkpoint, after its last finished epoch." };
        var autoResume = new Option<bool>("--auto-resume") { Description = "Continue from the checkpoint in --checkpoint when it holds one, start there "
            + "when it holds none: one command for a job's first run and its retries (a checkpoint of other settings is still refused; "
            + "one of the same settings on changed samples of the same data set is set aside as train-checkpoint.DIGEST.bin, and taken back when they return)." };
        var log = new Option<FileInfo?>("--log") { Description = "Write a JSON log of the run here: settings, every epoch's rate, loss, errors and time, the outcome." };
        var deleteCheckpoint = new Option<bool>("--delete-checkpoint") { Description = "Remove the checkpoint in --checkpoint once the model is written, "
            + "so that the next run in the folder starts anew; a run that fails or is stopped keeps it for --resume." };

        var command = new Command("train", "Train a model from the zoo on a data set and write it as an .elr file.")
        {
            dataset, model, epochs, batch, rate, decay, step, momentum, weightDecay, smoothing, ranks, validation, seed, threads, output, log,
            checkpoint, resume, autoResume, deleteCheckpoint,
        };
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            var options = new TrainingOptions
            {
                Epochs = parse.GetRequiredValue(epochs),
                BatchSize = parse.GetRequiredValue(batch),
                Schedule = Schedule(parse.GetRequiredValue(rate), parse.GetRequiredValue(decay), parse.GetValue(step), parse.GetRequiredValue(epochs)),
                Momentum = parse.GetRequiredValue(momentum),
                WeightDecay = parse.GetRequiredValue(weightDecay),
                LabelSmoothing = parse.GetRequiredValue(smoothing),
                Seed = parse.GetRequiredValue(seed),
                Threads = parse.GetRequiredValue(threads),
            };
            options.Validate();
            IReadOnlyDictionary<string, int>? fixedRanks = parse.GetValue(ranks) is string text ? FixedRanks.Parse(text) : null;
            DirectoryInfo? folder = parse.GetValue(checkpoint);
            if (folder is null && (parse.GetValue(resume) || parse.GetValue(autoResume) || parse.GetValue(deleteCheckpoint)))
                throw new UsageException($"{(parse.GetValue(resume) ? "--resume" : parse.GetValue(autoResume) ? "--auto-resume" : "--delete-checkpoint")} needs --checkpoint FOLDER.");
            if (parse.GetValue(autoResume) && parse.GetValue(resume))
                throw new UsageException("--resume and --auto-resume overlap: --resume requires a checkpoint, --auto-resume takes one when there is one; give one of them.");
            return Train(parse.GetRequiredValue(dataset), parse.GetRequiredValue(model), fixedRanks, parse.GetValue(validation), options,
                parse.GetRequiredValue(output), cancellationToken, new CheckpointRequest(folder, parse.GetValue(resume), parse.GetValue(autoResume), parse.GetValue(deleteCheckpoint)),
                parse.GetValue(log));
        }, CancellationToken.None));
        return command;
    }

    /// <summary>The learning-rate schedule <c>--lr</c>, <c>--lr-decay</c> and <c>--lr-step</c> describe over <paramref name="epochs"/>, checked as the CLI states them.</summary>
    private static LearningRateSchedule Schedule(double rate, double decay, int? step, int epochs)
    {
        if (!(rate > 0) || double.IsInfinity(rate)) throw new UsageException($"--lr must be a positive number, not {rate}.");
        if (!(decay > 0 && decay <= 1)) throw new UsageException($"--lr-decay must be in (0, 1], not {decay}.");
        if (step is < 1) throw new UsageException($"--lr-step must be at least 1, not {step}.");
        // A step schedule that never steps, or steps by 1, trains at --lr throughout: the option would change nothing.
        if (step is int never && epochs >= 1 && never >= epochs)
            throw new UsageException($"--lr-step {never} never comes within --epochs {epochs}, so the rate would stay {rate} throughout; "
                + (epochs > 1 ? $"give a step below {epochs}, or drop --lr-step." : "drop --lr-step."));
        if (step is not null && decay == 1)
            throw new UsageException($"--lr-step applies --lr-decay every {step} epochs, and --lr-decay is 1 (no decay); give --lr-decay below 1 too, or drop --lr-step.");
        LearningRateSchedule schedule = step is int every ? new StepSchedule(rate, decay, every) : new ExponentialSchedule(rate, decay);
        if (epochs >= 1 && TrainingLimits.VanishingRateProblem(rate, schedule.RateAt(epochs - 1), $"epoch {epochs}", "--lr", "--lr-decay") is string vanishing)
            throw new UsageException(vanishing);
        return schedule;
    }

    /// <summary>Fails before training, not after it, when the runtime's writer cannot store this architecture.</summary>
    private static void RequireWritable(Network network)
    {
        using Model probe = NetworkExporter.ToModel(network, new ModelMetadata());
        try
        {
            ModelWriter.ToArray(probe);
        }
        catch (NotSupportedException e)
        {
            throw new UsageException($"{network.Name} cannot be written as an .elr file by this runtime: {e.Message} "
                + "Update the runtime to a format version that stores these layers.");
        }
    }

    /// <summary>--checkpoint, --resume, --auto-resume and --delete-checkpoint, as given.</summary>
    internal sealed record CheckpointRequest(DirectoryInfo? Folder, bool Resume, bool AutoResume, bool Delete);

    internal static int Train(string datasetName, string modelName, IReadOnlyDictionary<string, int>? ranks, double? validation,
        TrainingOptions options, FileInfo output, CancellationToken cancellationToken, CheckpointRequest? checkpointing = null, FileInfo? log = null)
    {
        checkpointing ??= new CheckpointRequest(null, false, false, false);
        DirectoryInfo? checkpoint = checkpointing.Folder;
        bool resume = checkpointing.Resume;
        FilePaths.RequireOutput(output.ToString(), "-o");
        if (log is not null) FilePaths.RequireOutput(log.ToString(), "--log");
        if (validation is double share && TrainingLimits.ValidationShareProblem(share) is string wrongShare) throw new UsageException(wrongShare);
        DatasetInfo info = GivenDataset.Resolve(datasetName);
        NpyFolderDataset.RequireTrainingArrays(info);
        FilePaths.RequireDistinctOutputs(DatasetFiles.Of(info), [("the checkpoint file in --checkpoint", checkpoint is null ? null : CheckpointedTraining.CheckpointFile(checkpoint.FullName)),
            ("-o", output.FullName), ("--log", log?.FullName), ("--checkpoint", checkpoint?.FullName)]);
        // The model is checked against the data set's shape before the data is loaded or fetched.
        Network network = ModelZoo.Create(modelName, info.SampleShape, info.ClassNames.Count, options.Seed, options.BatchSize, ranks);
        RequireWritable(network);
        using CheckpointLock? claim = CheckpointFolder.Claim(checkpoint, CheckpointKind.Train, CheckpointKind.Compress, checkpointing.AutoResume, ref resume);
        // A checkpoint of other settings, or of more epochs, is refused before the data is loaded (or fetched); of other
        // training samples, once they are, before training is announced.
        // Under --auto-resume the epochs are checked with the samples: a checkpoint of other samples is set aside whatever its epochs.
        // Read once, for both checks and the resume.
        SavedTraining? saved = resume ? CheckpointedTraining.Read(checkpoint!.FullName) : null;
        int? checkpointedEpochs = saved is null ? null : CheckpointedTraining.RequireResumable(CheckpointedTraining.Settings(network, options, validation), saved,
            checkpointing.AutoResume ? int.MaxValue : options.Epochs);
        DatasetParts data = FetchProgressDisplay.Load(info, cancellationToken);
        SharedOptions.RequireHoldOut(data.Train, validation);
        GivenDataset.NoteTaken(datasetName);
        string fingerprint = CheckpointedTraining.Fingerprint(network, options, data.Train, validation, data.Test);
        CheckpointSwap? swap = null;
        if (saved is not null && checkpoint is not null && checkpointing.AutoResume && CheckpointedTraining.OtherTrainingSamples(fingerprint, saved) is string theirs)
        {
            // The data set of that name changed since that run stopped (a job's folder refreshed): its checkpoint can never be
            // resumed, and refusing would fail every run until someone deleted it; it is set aside by its samples' digest, in
            // case they come back, and one of these samples set aside before is taken back. Other settings, or a data set of
            // another name, are still refused: those are a change to the job.
            swap = CheckpointFolder.SwapAside(checkpoint, CheckpointKind.Train, theirs, CheckpointedTraining.SamplesDigest(fingerprint));
            Console.Error.WriteLine($"elr: the checkpoint in {checkpoint.FullName} is of a run with the same settings on other training samples of "
                + $"{data.Train.Name} (xxh64 {theirs}): --auto-resume keeps it as {Path.GetFileName(swap.SetAsideAs)}, which renamed to train-checkpoint.bin resumes "
                + (swap.TakenBack is not null ? "on those samples, and resumes the checkpoint of these samples set aside before." : "on those samples, and starts anew."));
            saved = swap.TakenBack is null ? null : CheckpointedTraining.Read(checkpoint.FullName);
            checkpointedEpochs = null;
        }
        if (saved is not null) checkpointedEpochs = CheckpointedTraining.RequireResumable(fingerprint, saved, options.Epochs);
        (Dataset train, Dataset? held) = validation is double fraction ? data.Train.SplitValidation(fraction, options.Seed) : (data.Train, null);

        string shape = ranks is null ? "" : $", ranks {FixedRanks.Describe(network)}";
        AnsiConsole.MarkupLine(Markup.Escape($"training {network.Name}{shape} ({network.ParameterCount:N0} parameters) on {data.Train.Name} "
            + $"({train.Count:N0} samples{(held is null ? "" : $"; {held.Count:N0} held out for validation")}), {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, batch {options.BatchSize}, lr {options.Schedule}, "
            + $"momentum {options.Momentum}, weight decay {options.WeightDecay}, seed {options.Seed}, {options.Threads} thread{(options.Threads == 1 ? "" : "s")}"));
        if (checkpointedEpochs is int done)
            AnsiConsole.MarkupLine(Markup.Escape($"resuming from the checkpoint in {checkpoint!.FullName}: "
                + (done == options.Epochs
                    ? $"all {done} epoch{(done == 1 ? "" : "s")} done: nothing to train, its network is written (a larger --epochs trains on; "
                    : $"{done} of {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")} done (")
                + "their lines come first, as measured then)"));
        var trainer = new Trainer(network, options);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        TrainingRun run;
        try
        {
            run = TrainingProgressDisplay.Run(options.Epochs, batches, (progressFor, epochDone) =>
                CheckpointedTraining.Run(trainer, train, data.Test, held, fingerprint, checkpoint?.FullName, saved, progressFor, epochDone, cancellationToken));
        }
        catch (OperationCanceledException) when (checkpoint is not null && CheckpointedTraining.HasCheckpoint(checkpoint.FullName))
        {
            // The run stops with "cancelled." or "terminated (SIGTERM)."; its finished epochs are not lost, and the user should know how to get them back.
            Console.Error.WriteLine($"elr: the run so far is in the checkpoint in {checkpoint.FullName}: run the same command "
                + (resume || checkpointing.AutoResume ? "again" : "with --resume") + " to continue after its last finished epoch.");
            throw;
        }
        catch (OperationCanceledException) when (checkpoint is null && options.Epochs > 1)
        {
            Console.Error.WriteLine("elr: the epochs trained so far are lost; with --checkpoint DIR a run saves every epoch, and the same command with --resume continues it.");
            throw;
        }
        IReadOnlyList<TrainedEpoch> epochs = run.Epochs;
        double seconds = run.Seconds;
        double accuracy = epochs[^1].TestAccuracy;
        (double, double)? heldOut = validation is double f && epochs[^1].ValidationAccuracy is double v ? (f, v) : null;

        using Model exported = NetworkExporter.ToModel(network, ExportMetadata.ForTraining(network, data.Test, accuracy, options, seconds, heldOut, info.IntegerPixelMax));
        ModelWithLog.Write(output.FullName, ModelWriter.ToArray(exported), log?.FullName,
            outputSha256 => TrainingLog.Of(network, info.Name, options, validation, run, output.FullName, outputSha256, swap));
        string validated = heldOut is (_, double last) ? $"validation accuracy {last:P2}, " : "";
        AnsiConsole.MarkupLine(Markup.Escape($"{validated}test accuracy {accuracy:P2} (error {1 - accuracy:P2}) after {seconds:F1} s of training; "
            + $"median {epochs.Select(e => e.Result.SamplesPerSecond).Order().ElementAt(epochs.Count / 2):N0} samples/s; wrote {output.FullName}"));
        if (run.SecondsBeforeResume is double before)
            AnsiConsole.MarkupLine(Markup.Escape($"({before:F1} s of the {seconds:F1} s were before the resume, in the checkpoint's {run.ResumedEpochs} epoch{(run.ResumedEpochs == 1 ? "" : "s")})"));
        // The test part changes no weight, so it refuses no resume, but the epochs' scores before and after it are of other images.
        if (run.TestPartChanged is string changed)
            Console.Error.WriteLine($"elr: warning: the test part changed since the checkpoint ({changed}): its {run.ResumedEpochs} epoch{(run.ResumedEpochs == 1 ? " was" : "s were")} "
                + "scored on the other images, the epochs after the resume and the accuracy recorded in the model on these.");
        if (checkpointing.Delete && checkpoint is not null) CheckpointFolder.Delete(checkpoint, CheckpointKind.Train);
        return 0;
    }
}
