using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary>
/// <c>elr compress MODEL [--dataset D] --method cur|svd (--lambda X | --target-ratio R | --ranks fc1=10,...) -o OUT.elr</c>: the
/// learning-compression run (docs/ALGORITHM.md) on a reference model written by <c>elr train</c>.
/// Every setting is checked, and the model matched against the data set, before any work starts.
/// </summary>
internal static class CompressCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var defaults = new LcOptions();
        var model = new Argument<FileInfo>("model") { Description = "The trained reference .elr file (from 'elr train')." };
        var dataset = SharedOptions.DatasetOrRecorded();
        var method = new Option<string>("--method") { Description = "cur or svd.", DefaultValueFactory = _ => "cur" };
        var selection = new Option<string>("--selection") { Description = "CUR selection: qdeim, deim, leverage or sampling.", DefaultValueFactory = _ => "qdeim" };
        var oversampling = new Option<double>("--oversampling") { Description = "CUR oversampling ρ ≥ 1.", DefaultValueFactory = _ => defaults.Cur.Oversampling };
        var criterion = new Option<string>("--criterion") { Description = "storage, flops or latency (with --latency-table).", DefaultValueFactory = _ => "storage" };
        var latencyTable = new Option<FileInfo?>("--latency-table") { Description = "A board's latency table (from 'elr-run profile -o board.json') for --criterion latency." };
        var lambda = new Option<double?>("--lambda") { Description = "λ, the price of one unit of cost (give this or --target-ratio)." };
        var target = new Option<double?>("--target-ratio") { Description = "Compression ratio to reach; λ is then found by bisection in every C step." };
        var ranks = new Option<string?>("--ranks") { Description = "Fix these layers' ranks, e.g. fc1=10,fc2=8: every C step projects each onto its rank (CUR or SVD, "
            + "as --method says) with no enumeration, λ or rank guard, since you chose it; the other layers are chosen by --lambda or --target-ratio "
            + "(which then counts the fixed ones at their ranks), and with every layer fixed neither is given." };
        var mu0 = new Option<double>("--mu0") { Description = "μ₀.", DefaultValueFactory = _ => defaults.Mu0 };
        var growth = new Option<double?>("--mu-growth") { Description = $"a in μ_k = μ₀·a^k. Default: {LcOptions.DefaultMuGrowth} over the default "
            + $"{LcOptions.DefaultSteps} steps; with another --steps K, {LcOptions.DefaultMuGrowth}^({LcOptions.DefaultSteps - 1}/(K−1)), so μ still ends at μ₀·{LcOptions.DefaultMuGrowth}^{LcOptions.DefaultSteps - 1}." };
        var steps = new Option<int>("--steps") { Description = "LC steps K.", DefaultValueFactory = _ => defaults.Steps };
        var epochs = new Option<int>("--epochs-per-step") { Description = "SGD epochs per L step.", DefaultValueFactory = _ => defaults.EpochsPerStep };
        var lr = new Option<double>("--lr") { Description = "L-step rate at step 0 (then ·--lr-decay per step).", DefaultValueFactory = _ => defaults.LearningRate };
        var lrDecay = new Option<double>("--lr-decay") { Description = "L-step rate factor per LC step.", DefaultValueFactory = _ => defaults.LearningRateDecay };
        var finetune = new Option<int>("--finetune-epochs") { Description = "Fine-tune epochs with ranks fixed.", DefaultValueFactory = _ => defaults.FinetuneEpochs };
        var finetuneLr = new Option<double?>("--finetune-lr") { Description = "Fine-tune rate at its first epoch (then ·--finetune-lr-decay per epoch); default: where the L steps' rates end, --lr·--lr-decay^(--steps − 1), and for fewer than 35 steps not above --lr·0.93^34, where the default 35 steps' end." };
        var finetuneLrDecay = new Option<double>("--finetune-lr-decay") { Description = "Fine-tune rate factor per epoch.", DefaultValueFactory = _ => defaults.FinetuneLearningRateDecay };
        var finetuneDecay = new Option<double>("--finetune-weight-decay") { Description = "L2 weight decay during the fine-tune.", DefaultValueFactory = _ => defaults.FinetuneWeightDecay };
        var finetuneBest = new Option<bool>("--finetune-best") { Description = "Leave the network at the fine-tune's epoch (or the network before it) of the lowest error on the --validation share, which it needs (the lower loss on a tie), instead of at its last epoch; an epoch that diverges then ends the fine-tune, not the run." };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay during the L steps.", DefaultValueFactory = _ => defaults.WeightDecay };
        var batch = new Option<int>("--batch") { Description = "Samples per SGD step in the L steps and the fine-tune.", DefaultValueFactory = _ => defaults.BatchSize };
        var keepVelocity = new Option<bool>("--keep-velocity") { Description = "Keep the SGD momentum across L steps instead of restarting it." };
        var distillWeight = new Option<double>("--distill-weight") { Description = "α: the L steps' loss becomes (1−α)·cross-entropy + α·distillation from the reference (0: off).", DefaultValueFactory = _ => defaults.DistillationWeight };
        var distillTemperature = new Option<double>("--distill-temperature") { Description = "T: how far the reference's probabilities are softened for distillation.", DefaultValueFactory = _ => defaults.DistillationTemperature };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε of the cross-entropy in the L steps and the fine-tune: each target becomes (1−ε)·its label + ε spread over all classes (0: off).", DefaultValueFactory = _ => defaults.LabelSmoothing };
        var minSaving = new Option<double>("--min-rank-saving") { Description = "A rank must save at least this fraction of its layer's numbers, else the layer stays dense.", DefaultValueFactory = _ => defaults.MinRankSaving };
        var warmup = new Option<int>("--ratio-warmup") { Description = "LC steps over which the target ratio rises to its value (0: from the start).", DefaultValueFactory = _ => defaults.RatioWarmupSteps };
        var noFill = new Option<bool>("--no-fill-budget") { Description = "With --target-ratio: stop at the bisection's λ instead of filling the rest of the budget (the ratio can then overshoot the target)." };
        var minFlops = new Option<double?>("--min-flops-ratio") { Description = "With --target-ratio: the result must also need at least this many times fewer multiply–adds than dense." };
        var keepDense = new Option<string?>("--keep-dense") { Description = "Layers to leave dense, by name as `elr inspect` lists them, comma-separated (e.g. fc2)." };
        var compressClassifier = new Option<bool>("--compress-classifier") { Description = "Let the C step factorize the classifier (the last dense layer), which otherwise stays dense: below one rank per class its logits lose dimensions." };
        var guard = new Option<double>("--max-relative-error") { Description = "Rank guard: never choose a rank with e(r)/‖W‖² above this.", DefaultValueFactory = _ => defaults.MaxRelativeError };
        var normalize = new Option<bool>("--normalize-error") { Description = "Weigh each layer's error in the C step relative to the squared norm of the matrix it approximates (‖A‖², A = W − λ_l/μ; the LC toolkit's normalize): ranks by the share of a layer's energy they drop, not its size; λ is then on another scale." };
        var validation = new Option<double?>("--validation") { Description = "Hold out this share of each class of the training set (e.g. 0.1) from the L steps "
            + "and the fine-tune, and report the Θ-network's error on it every LC step: a score to choose settings by without tuning on the test set." };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the shuffling, --selection sampling's draw, and the --validation split unless the reference held out the same share (its split is then kept).", DefaultValueFactory = _ => defaults.Seed };
        var threads = SharedOptions.Threads();
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Folder for a checkpoint after every LC step." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --checkpoint." };
        var autoResume = new Option<bool>("--auto-resume") { Description = "Continue from the checkpoint in --checkpoint when it holds one, start there "
            + "when it holds none: one command for a job's first run and its retries (a checkpoint of other settings is still refused; "
            + "one of the same settings on other weights of the reference is set aside as lc-checkpoint.DIGEST.bin, and taken back when they return)." };
        var deleteCheckpoint = new Option<bool>("--delete-checkpoint") { Description = "Remove the checkpoint in --checkpoint once the model is written, "
            + "so that the next run in the folder starts anew; a run that fails (--require-goals included) or is stopped keeps it for --resume." };
        var log = new Option<FileInfo?>("--log") { Description = "Write a JSON log of the run here." };
        var maxErrorRise = new Option<double?>("--max-error-rise") { Description = "A goal on accuracy: the written model's test error at most this many "
            + "percentage points above the reference's (e.g. 0.5); a rise above it is warned of as a shortfall, and with --require-goals fails the run." };
        var requireGoals = new Option<bool>("--require-goals") { Description = $"Exit with code {ExitCodes.GoalsMissed} when the model written misses a goal it "
            + "is warned of (--target-ratio by more than 5%, --min-flops-ratio, --max-error-rise, or LC steps that did not converge), for scripts that must not take a shortfall for success; the model is still written." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The compressed .elr file to write.", Required = true };

        var command = new Command("compress", "Compress a trained model by learning-compression with CUR or SVD low-rank layers.")
        {
            model, dataset, method, selection, oversampling, criterion, latencyTable, lambda, target, ranks, mu0, growth, steps, epochs, lr, lrDecay, finetune, finetuneLr,
            finetuneLrDecay, finetuneDecay, finetuneBest, weightDecay, batch, keepVelocity, distillWeight, distillTemperature, smoothing, minSaving, warmup, noFill, minFlops, keepDense, compressClassifier, guard, normalize, validation, seed, threads, checkpoint, resume, autoResume, deleteCheckpoint, log, maxErrorRise, requireGoals, output,
        };
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            LcOptions options = CompressionArguments.Parse(parse.GetRequiredValue(method), parse.GetRequiredValue(selection), parse.GetRequiredValue(oversampling),
                parse.GetRequiredValue(criterion), parse.GetValue(lambda), parse.GetValue(target), parse.GetValue(latencyTable)?.FullName, parse.GetValue(ranks)) with
            {
                // A short run at the default growth ends with μ far too small for W to reach Θ: fewer steps take a faster growth.
                Mu0 = parse.GetRequiredValue(mu0), MuGrowth = parse.GetValue(growth) ?? LcOptions.MuGrowthFor(parse.GetRequiredValue(steps)), Steps = parse.GetRequiredValue(steps),
                EpochsPerStep = parse.GetRequiredValue(epochs), LearningRate = parse.GetRequiredValue(lr), LearningRateDecay = parse.GetRequiredValue(lrDecay),
                FinetuneEpochs = parse.GetRequiredValue(finetune), FinetuneLearningRate = parse.GetValue(finetuneLr),
                FinetuneLearningRateDecay = parse.GetRequiredValue(finetuneLrDecay), FinetuneWeightDecay = parse.GetRequiredValue(finetuneDecay),
                FinetuneKeepBest = parse.GetValue(finetuneBest),
                WeightDecay = parse.GetRequiredValue(weightDecay), BatchSize = parse.GetRequiredValue(batch), KeepVelocity = parse.GetValue(keepVelocity),
                DistillationWeight = parse.GetRequiredValue(distillWeight), DistillationTemperature = parse.GetRequiredValue(distillTemperature),
                LabelSmoothing = parse.GetRequiredValue(smoothing),
                MinRankSaving = parse.GetRequiredValue(minSaving), RatioWarmupSteps = parse.GetRequiredValue(warmup),
                FillBudget = !parse.GetValue(noFill), MinFlopsRatio = parse.GetValue(minFlops),
                KeepDense = KeepDenseNames(parse.GetValue(keepDense)), CompressClassifier = parse.GetValue(compressClassifier),
                MaxRelativeError = parse.GetRequiredValue(guard), NormalizeError = parse.GetValue(normalize), ValidationShare = parse.GetValue(validation),
                Seed = parse.GetRequiredValue(seed), Threads = parse.GetRequiredValue(threads),
            };
            // --seed draws leverage-score sampling's columns and rows too, as it does everything else random in the run; they were
            // drawn from seed 0 whatever --seed said. The sampler takes an int: the seed's low 31 bits.
            options = options with { Cur = options.Cur with { Seed = (int)(options.Seed & int.MaxValue) } };
            options.Validate();
            InapplicableOptions.Check(parse,
                new(selection, options.Method == FactorizationMethod.Cur, "with --method cur"),
                new(oversampling, options.Method == FactorizationMethod.Cur, "with --method cur"),
                new(noFill, options.TargetRatio is not null, "with --target-ratio"),
                new(warmup, options.TargetRatio is not null, "with --target-ratio"),
                new(distillTemperature, options.DistillationWeight > 0, "with --distill-weight above 0"),
                new(finetuneLr, options.FinetuneEpochs > 0, "with --finetune-epochs above 0"),
                new(finetuneLrDecay, options.FinetuneEpochs > 0, "with --finetune-epochs above 0"),
                new(finetuneDecay, options.FinetuneEpochs > 0, "with --finetune-epochs above 0"),
                new(keepVelocity, options.Steps > 1, "with --steps above 1, to carry the momentum from one L step to the next"),
                // At α = 1 the L steps learn from the teacher alone; the labels come in again only in a fine-tune.
                new(smoothing, options.DistillationWeight < 1 || options.FinetuneEpochs > 0, "with --distill-weight below 1 or --finetune-epochs above 0"));
            // Allowed (the LC steps without a price are a baseline), but a trial's run wrote an uncompressed model without a word.
            if (options.TargetRatio is null && options.Lambda == 0)
                Console.Error.WriteLine("elr: warning: --lambda 0 prices compression at nothing, so every C step keeps the ranks that cost most "
                    + "and the model stays as large as the reference; give a λ above 0 or --target-ratio R.");
            FileInfo written = parse.GetRequiredValue(output);
            if (parse.GetValue(maxErrorRise) is double rise && !(rise >= 0 && double.IsFinite(rise)))
                throw new UsageException($"--max-error-rise must be a number of percentage points ≥ 0 (0.5 for half a point), not {rise}.");
            DirectoryInfo? folder = parse.GetValue(checkpoint);
            if (folder is null && (parse.GetValue(autoResume) || parse.GetValue(deleteCheckpoint)))
                throw new UsageException($"{(parse.GetValue(autoResume) ? "--auto-resume" : "--delete-checkpoint")} needs --checkpoint FOLDER.");
            if (parse.GetValue(autoResume) && parse.GetValue(resume))
                throw new UsageException("--resume and --auto-resume overlap: --resume requires a checkpoint, --auto-resume takes one when there is one; give one of them.");
            IReadOnlyList<GoalMiss> missed = Compress(parse.GetRequiredValue(model), parse.GetValue(dataset), options, parse.GetValue(growth) is not null,
                folder, parse.GetValue(resume), parse.GetValue(log), written, cancellationToken, parse.GetValue(maxErrorRise), parse.GetValue(autoResume),
                parse.GetValue(deleteCheckpoint), parse.GetValue(requireGoals));
            if (!parse.GetValue(requireGoals) || missed.Count == 0) return 0;
            Console.Error.WriteLine($"elr: --require-goals: {written.FullName} was written, but it misses {(missed.Count == 1 ? "the goal" : $"{missed.Count} goals")} "
                + $"warned of above; exit code {ExitCodes.GoalsMissed}.");
            return ExitCodes.GoalsMissed;
        }, CancellationToken.None));
        return command;
    }

    /// <summary>What the carried import.input-normalization adds: the first layer, which took the normalization in, has been
    /// trained since, so it no longer computes the two apart; the model still takes raw inputs.</summary>
    private const string AfterCompression = "; then trained with the other layers by elr compress";

    /// <summary>What it adds instead when the normalization is a layer of its own, which compress keeps as it was.</summary>
    private const string KeptThroughCompression = "; kept fixed while elr compress trained the other layers";

    /// <summary>The layers to keep as they are: an imported network's input normalization, where the import kept it as a layer
    /// of its own. It stands for preprocessing done outside the network where it was trained, which no training changes.</summary>
    private static int[] FrozenLayers(string fileName, Model reference)
    {
        if (!reference.Metadata.Properties.TryGetValue(OnnxImporter.InputNormalizationLayerProperty, out string? text)) return [];
        // Only what the import writes is taken: an edited value must not freeze a layer of the network itself.
        return text == "0" && reference.Layers[0] is DepthwiseConv2dLayer { Geometry.KernelSize: 1 }
            ? [0]
            : throw new UsageException($"{fileName} records {OnnxImporter.InputNormalizationLayerProperty} '{text}', but the import writes 0, for a first "
                + "layer that is a 1×1 depthwise convolution; this file's metadata or layers were changed since. Import the ONNX file again.");
    }

    /// <summary>The layer names of --keep-dense; an empty entry (",fc3", "fc3,,") is refused, as --ranks refuses one, not dropped.</summary>
    private static string[] KeepDenseNames(string? text)
    {
        if (text is null) return [];
        string[] names = text.Split(',', StringSplitOptions.TrimEntries);
        return names.Any(n => n.Length == 0)
            ? throw new UsageException($"--keep-dense takes layer names separated by commas (such as fc3, or fc2,fc3), not '{text}': an entry is empty.")
            : names;
    }

    /// <summary>The command's work, also the demo's compression step.</summary>
    /// <param name="muGrowthGiven">Whether --mu-growth was given, rather than derived from --steps: the advice after a run
    /// that did not converge depends on it.</param>
    /// <returns>The goals the model written misses, as warned of on stderr (<see cref="GoalShortfalls"/>); none when it meets them.</returns>
    /// <param name="maxErrorRise">--max-error-rise: the most percentage points the test error may rise over the reference's
    /// before it is a shortfall; null for no goal on accuracy.</param>
    /// <param name="autoResume">--auto-resume: resume when <paramref name="checkpoint"/> holds a checkpoint, start anew when it holds none.</param>
    /// <param name="deleteCheckpoint">--delete-checkpoint: remove the checkpoint once the model and log are written, unless
    /// <paramref name="requireGoals"/> fails the run for a missed goal.</param>
    /// <param name="requireGoals">--require-goals: a missed goal fails the run (exit code 4, in the caller).</param>
    internal static IReadOnlyList<GoalMiss> Compress(FileInfo file, string? datasetName, LcOptions options, bool muGrowthGiven, DirectoryInfo? checkpoint, bool resume, FileInfo? log,
        FileInfo output, CancellationToken cancellationToken, double? maxErrorRise = null, bool autoResume = false, bool deleteCheckpoint = false,
        bool requireGoals = false)
    {
        if (resume && checkpoint is null) throw new UsageException("--resume needs --checkpoint FOLDER.");
        FilePaths.RequireOutput(output.ToString(), "-o");
        if (log is not null) FilePaths.RequireOutput(log.ToString(), "--log");
        FilePaths.RequireInput(file.ToString(), "MODEL", $"train one with 'elr train ... -o {file.Name}'");
        DatasetInfo info;
        Network network;
        string? seenWarning = null;
        bool endsWithSoftmax;
        int[] frozen;
        IEnumerable<KeyValuePair<string, string>> importNotes;
        ModelMetadata referenceMetadata;
        // The reference's digest as it is read, for the log: a nightly job may retrain it in place while this run goes on.
        string? referenceSha256 = log is null ? null : FileSha256.Of(file.FullName);
        using (Model reference = ModelReader.Load(file.FullName))
        {
            referenceMetadata = reference.Metadata;
            info = RecordedDataset.GivenOrRecorded(file.Name, reference.Metadata, datasetName is null ? null : GivenDataset.Resolve(datasetName), "to train and test on");
            NpyFolderDataset.RequireTrainingArrays(info);
            // The checkpoint file first, so that an -o or --log on it is the option named as the one to change.
            FilePaths.RequireDistinctOutputs([("MODEL", file.FullName), ("--latency-table", options.LatencyModel?.Table.Source), .. DatasetFiles.Of(info)],
                [("the checkpoint file in --checkpoint", checkpoint is null ? null : LearningCompression.CheckpointFile(checkpoint.FullName)),
                 ("-o", output.FullName), ("--log", log?.FullName), ("--checkpoint", checkpoint?.FullName)]);
            // The compressed model ends as the reference does (probabilities, or the logits an imported graph gave) and keeps
            // what an import recorded about its inputs and outputs (a normalization it takes care of, a LogSoftmax read).
            endsWithSoftmax = reference.Layers[^1] is SoftmaxLayer;
            frozen = FrozenLayers(file.Name, reference);
            importNotes = reference.Metadata.Properties
                .Where(p => p.Key is ModelMetadata.InputNormalizationProperty or OnnxImporter.InputNormalizationLayerProperty or OnnxImporter.FinalLogSoftmaxProperty)
                .Select(p => p.Key == ModelMetadata.InputNormalizationProperty
                    ? KeyValuePair.Create(p.Key, p.Value + (frozen.Length > 0 ? KeptThroughCompression : AfterCompression)) : p).ToArray();
            if (ModelFit.Mismatch(file.Name, reference.InputShape, reference.OutputShape.ElementCount, info.Name, info.SampleShape, info.ClassNames.Count) is string why)
                throw new UsageException(why);
            RecordedDataset.RequireMatch(file.Name, reference.Metadata, info);
            network = NetworkImporter.ToNetwork(reference, options.BatchSize, frozen);
            if (options.ValidationShare is double share)
            {
                (ulong? splitSeed, seenWarning) = ReferenceSplitSeed(reference.Metadata, share, file.Name);
                options = options with { ValidationSeed = splitSeed };
            }
        }
        using CheckpointLock? claim = CheckpointFolder.Claim(checkpoint, CheckpointKind.Compress, CheckpointKind.Train, autoResume, ref resume);
        if (network.FirstNonFinite() is { } broken)
            throw new UsageException($"{file.Name} holds NaN or infinite values in {broken.Name}: its training diverged or the file was altered; train it again.");
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        LearningCompression.CheckRequest(layers, options);
        // Read once, for the checks and the resume.
        SavedCompression? saved = resume ? LearningCompression.Read(checkpoint!.FullName) : null;
        CheckpointSwap? swap = null;
        if (saved is not null && checkpoint is not null && autoResume && LearningCompression.OtherReference(network, options, saved) is string theirs)
        {
            // The reference was likely trained again in place since that run stopped (a nightly job): its checkpoint can never
            // be resumed, and refusing would fail every night's run until someone deleted it. The fingerprint cannot tell that
            // from another file of the same network, so the checkpoint is set aside by its reference's digest, not lost, and
            // one of this reference's set aside before is taken back. Other settings are still refused: a change to the job.
            swap = CheckpointFolder.SwapAside(checkpoint, CheckpointKind.Compress, theirs, LearningCompression.ReferenceDigest(network));
            Console.Error.WriteLine($"elr: the checkpoint in {checkpoint.FullName} is of a run with the same settings on other weights of {network.Name} "
                + $"than {file.Name} holds now (xxh64 {theirs}): --auto-resume keeps it as {Path.GetFileName(swap.SetAsideAs)}, which renamed to lc-checkpoint.bin "
                + (swap.TakenBack is not null ? "resumes with that reference, and resumes the checkpoint of these weights set aside before."
                    : "resumes with that reference, and starts anew."));
            resume = swap.TakenBack is not null;
            saved = resume ? LearningCompression.Read(checkpoint.FullName) : null;
        }
        // A checkpoint of another run is refused before "resuming from the checkpoint" is announced.
        int? checkpointedSteps = saved is null ? null : LearningCompression.RequireResumable(network, options, saved);
        DatasetParts data = FetchProgressDisplay.Load(info, cancellationToken);
        SharedOptions.RequireHoldOut(data.Train, options.ValidationShare);
        GivenDataset.NoteTaken(datasetName, referenceMetadata);
        if (seenWarning is not null) Console.Error.WriteLine($"elr: warning: {seenWarning}");
        // A table profiled under qemu is accepted (the emulation checks run it), but a user trial optimized a model against
        // one without a word, though its timings rank layers as no board does.
        if (options.LatencyModel?.Table is { MeasuredUnderEmulation: true } emulated)
            Console.Error.WriteLine($"elr: warning: {emulated.Source} was measured under emulation ({emulated.Cpu}): the ranks chosen by "
                + "its latencies fit the emulator, not a board. Run `elr-run profile --model MODEL.elr -o board.json` on the board itself and pass that table.");

        AnsiConsole.MarkupLine(Markup.Escape($"compressing {network.Name} ({network.ParameterCount:N0} parameters{(frozen.Length > 0 ? " to train" : "")}; layers "
            + string.Join(", ", layers.Select(l => $"{l.Layer.Name} {l.Rows}×{l.Columns}"))
            + string.Concat(network.Layers.OfType<FrozenLayer>().Select(l => $"; {l.Name}, the input's normalization, kept fixed"))
            + $") on {data.Train.Name} with {Describe(options, layers)}"));
        if (resume && checkpointedSteps is int done)
            AnsiConsole.MarkupLine(Markup.Escape($"resuming from the checkpoint in {checkpoint!.FullName}: {done} LC step{(done == 1 ? "" : "s")} done (the table shows "
                + "the checkpoint's steps first, as measured then)"));
        LcResult result;
        try
        {
            Func<IReadOnlyList<int>, double>? latencyRatio = options.Criterion == CostCriterion.Latency ? ranks => CompressionRatios.UnderCriterion(layers, ranks, options) : null;
            // Neither λ nor a target: --ranks fixed every layer (LearningCompression.CheckRequest refuses the rest).
            LambdaSource lambdaSource = options.TargetRatio is not null ? LambdaSource.Searched : options.Lambda is not null ? LambdaSource.Given : LambdaSource.None;
            result = CompressionProgressDisplay.Run(layers, options.ValidationShare is not null, lambdaSource, latencyRatio, progress =>
                LearningCompression.Run(network, data, options, checkpoint?.FullName, saved, progress, cancellationToken));
        }
        catch (OperationCanceledException) when (checkpoint is not null && LearningCompression.HasCheckpoint(checkpoint.FullName))
        {
            // The run stops with "cancelled."; what was done is not lost, and the user should know how to get it back.
            Console.Error.WriteLine($"elr: the run so far is in the checkpoint in {checkpoint.FullName}: run the same command "
                + (resume || autoResume ? "again" : "with --resume") + " to continue from its last LC step.");
            throw;
        }
        catch (TrainingDivergedException e)
        {
            // The L steps report their own divergence (LStepDivergedException): this is the fine-tune's, after every LC step.
            string redo = checkpoint is not null
                ? $"The LC steps are in the checkpoint in {checkpoint.FullName}: the same command with --resume and a lower --finetune-lr redoes only the fine-tune"
                : "The LC steps are lost with it; with --checkpoint DIR a run saves every step, and the same command with --resume then redoes only the fine-tune";
            string best = options.ValidationShare is not null ? "; add --finetune-best to keep its best epoch instead of failing."
                : "; a run with --validation 0.1 --finetune-best keeps its best epoch instead of failing (a new run: a held-out share changes the LC steps' training set).";
            throw new TrainingDivergedException($"{e.Message} {redo}{best}");
        }
        catch (OperationCanceledException) when (checkpoint is null)
        {
            // Nothing was kept: say how the next run can be stopped and continued.
            Console.Error.WriteLine("elr: the LC steps made so far are lost; with --checkpoint DIR a run saves every step, and the same command with --resume continues it.");
            throw;
        }

        var properties = new Dictionary<string, string>(importNotes.Concat(options.ToProperties()))
        {
            [ExportMetadata.ModelNameProperty] = network.Name,
            ["compress.ranks"] = string.Join(',', result.Steps[^1].Ranks),
            ["compress.final-gap"] = result.FinalConstraintGap.ToString("R", CultureInfo.InvariantCulture),
            ["compress.final-relative-gap"] = result.FinalRelativeGap.ToString("R", CultureInfo.InvariantCulture),
            ["compress.seconds"] = result.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
        };
        ExportMetadata.RecordInputScale(properties, info.IntegerPixelMax);
        if (result.ValidationAccuracy is double heldOut) properties["compress.validation-accuracy"] = heldOut.ToString("F4", CultureInfo.InvariantCulture);
        if (result.Finetune is { ChosenBest: true } choice)
        {
            properties["compress.finetune-epoch-kept"] = choice.EpochKept == 0 ? "0 (the network before the fine-tune)" : choice.EpochKept.ToString(CultureInfo.InvariantCulture);
            if (choice.Diverged is not null) properties["compress.finetune-diverged"] = $"in epoch {choice.Scores.Count} of {choice.Epochs}, which ended the fine-tune";
        }
        var metadata = new ModelMetadata
        {
            Producer = ExportMetadata.Producer,
            ProducerVersion = ExportMetadata.InformationalVersion,
            Labels = data.Test.ClassNames,
            Dataset = data.Test.Name,
            ReferenceAccuracy = result.ReferenceAccuracy,
            Accuracy = result.Accuracy,
            Properties = properties,
        };
        using Model compressed = NetworkExporter.ToModel(network, metadata, appendSoftmax: endsWithSoftmax);
        double storage = (double)compressed.DenseEquivalentParameterCount / compressed.ParameterCount;
        double flops = (double)compressed.DenseEquivalentMultiplyAccumulates / compressed.MultiplyAccumulates;
        double? latency = options.Criterion == CostCriterion.Latency ? CompressionRatios.UnderCriterion(layers, result.Steps[^1].Ranks, options) : null;
        double? budgetRatio = options.Criterion switch
        {
            CostCriterion.Storage => result.Steps[^1].StorageRatio,
            CostCriterion.Flops => result.Steps[^1].FlopsRatio,
            _ => latency,
        };
        IReadOnlyList<GoalMiss> shortfalls = [.. GoalShortfalls.Find(options, storage, flops, result.Steps[^1].FlopsRatio, result.FinalRelativeGap, latency, budgetRatio, result.TrainingSamples, muGrowthGiven),
            .. GoalShortfalls.ErrorRise(options, result.ReferenceAccuracy, result.Accuracy, maxErrorRise) is GoalMiss rose ? [rose] : Array.Empty<GoalMiss>()];
        // The catalog's name, not the one typed (--dataset MNIST): elr plot compares the logs' data sets.
        ModelWithLog.Write(output.FullName, ModelWriter.ToArray(compressed), log?.FullName, outputSha256 =>
            CompressionLog.Of(file.FullName, referenceSha256!, output.FullName, outputSha256, info.Name, options, result, storage, flops, latency, shortfalls, swap));
        string predicted = latency is double x ? $", {x:F2}× lower predicted latency of the weight layers (the latency table's)" : "";
        // Chosen on it, the fine-tune's epoch makes it read low.
        string validated = result.ValidationAccuracy is double held ? $"validation error {1 - held:P2}{(result.Finetune is { ChosenBest: true } ? " (--finetune-best chose on it, so it reads low)" : "")}; " : "";
        AnsiConsole.MarkupLine(Markup.Escape($"{validated}reference error {1 - result.ReferenceAccuracy:P2}; after reparametrization {1 - result.AccuracyBeforeFinetune:P2}; "
            + (options.FinetuneEpochs > 0 ? $"after fine-tune {1 - result.Accuracy:P2}{FinetuneChoiceText.Of(result.Finetune)}; " : "no fine-tune (--finetune-epochs 0); ") + $"{compressed.ParameterCount:N0} parameters ({storage:F2}× fewer with biases; "
            + $"{result.Steps[^1].StorageRatio:F2}× in the weight matrices, which the table's storage × {(options.TargetRatio is not null && options.Criterion == CostCriterion.Storage ? "and --target-ratio count" : "counts")}), {flops:F2}× fewer MACs{predicted}; "
            + $"‖W−Θ‖² at the end {result.FinalConstraintGap:G4} (relative {result.FinalRelativeGap:G3}); {result.TotalSeconds:F1} s{ResumedShare(result, checkpointedSteps)}; wrote {output.FullName}"));
        // The table simply ends; without this line a run of "35 steps" that shows 27 looks cut off.
        if (result.Steps[^1].Step < options.Steps - 1)
            AnsiConsole.MarkupLine(Markup.Escape($"stopped after {result.Steps[^1].Step + 1} of {options.Steps} LC steps: ‖W−Θ‖² fell below {options.StopTolerance:G} of ‖W‖² "
                + "with the ranks unchanged for 3 steps (the stopping rule, docs/ALGORITHM.md)"));
        foreach (GoalMiss shortfall in shortfalls) Console.Error.WriteLine($"elr: warning: {shortfall.Message}");
        if (result.Finetune?.Diverged is string diverged)
            Console.Error.WriteLine($"elr: warning: {diverged} --finetune-best kept {FinetuneChoiceText.Kept(result.Finetune)}, as the summary above says.");
        if (FinetuneRegression.Warning(options, result.AccuracyBeforeFinetune, result.Accuracy, data.Test.Count, result.Finetune) is string worse) Console.Error.WriteLine($"elr: warning: {worse}");
        if (ShortScheduleNote.For(options, result.ReferenceAccuracy, result.Accuracy, data.Test.Count, result.Steps[^1].Step + 1, result.FinalRelativeGap, result.TrainingSamples) is string note) Console.Error.WriteLine($"elr: note: {note}");
        if (SaturatedLambdaNote.For(options, result.Steps[^1], layers.Select(l => l.Layer.Name).ToArray()) is string saturated) Console.Error.WriteLine($"elr: note: {saturated}");
        // A run --require-goals fails keeps its LC steps: the advice is often a longer fine-tune, which a resume redoes alone.
        if (deleteCheckpoint && checkpoint is not null && !(requireGoals && shortfalls.Count > 0))
        {
            CheckpointFolder.Delete(checkpoint, CheckpointKind.Compress);
        }
        else if (deleteCheckpoint && checkpoint is not null)
            Console.Error.WriteLine($"elr: note: the checkpoint in {checkpoint.FullName} is kept despite --delete-checkpoint, as --require-goals fails the run: "
                + "the same command with --resume and a longer --finetune-epochs redoes only the fine-tune; an --auto-resume run of the same command would "
                + "repeat this result, and one from a reference trained again since sets it aside, by its reference's digest, and starts anew.");
        return shortfalls;
    }

    /// <summary>
    /// The seed that splits off the same validation samples the reference was trained without: its training seed when it
    /// held out <paramref name="share"/> too (<c>elr train --validation</c>). Otherwise every sample was in the reference's
    /// training, so the error on the held-out part reads low: the split follows --seed, and the warning to print says so.
    /// </summary>
    private static (ulong? Seed, string? Warning) ReferenceSplitSeed(ModelMetadata reference, double share, string fileName)
    {
        IReadOnlyDictionary<string, string> recorded = reference.Properties;
        if (recorded.TryGetValue("train.validation", out string? held) && double.TryParse(held, CultureInfo.InvariantCulture, out double heldShare)
            && heldShare == share && recorded.TryGetValue("train.seed", out string? seedText) && ulong.TryParse(seedText, CultureInfo.InvariantCulture, out ulong seed))
            return (seed, null);
        string text = share.ToString("0.##########", CultureInfo.InvariantCulture);
        return (null, $"{fileName} was trained without holding out {text} of the training set (its metadata records "
            + $"{(held is null ? "no train.validation" : $"train.validation {held}")}), so the network LC starts from has seen the samples held out now "
            + $"and their error reads low; train the reference with 'elr train --validation {text}' to hold the same samples out of both.");
    }

    /// <summary>The μ schedule as the first line gives it. A growth derived from --steps says so, since the user never typed it.</summary>
    private static string MuSchedule(LcOptions o) => o.Steps > 1 && o.Steps != LcOptions.DefaultSteps && o.MuGrowth == LcOptions.MuGrowthFor(o.Steps)
        ? $"μ = {o.Mu0:G3}·{o.MuGrowth:R}^k (the growth for {o.Steps} steps: μ ends at {o.MuAt(o.Steps - 1):G3}, where the default {LcOptions.DefaultSteps} steps end; --mu-growth sets it)"
        : $"μ = {o.Mu0:G3}·{o.MuGrowth}^k";

    /// <summary>A resumed run's seconds are the whole run's: this says how many of them the checkpoint's steps took, and when
    /// the checkpoint held every step (all of --steps, or the stopping rule's), that this process only fine-tuned.</summary>
    private static string ResumedShare(LcResult result, int? checkpointedSteps) => result.SecondsBeforeResume is double before
        ? $" ({before:F1} s of them before the resume, in the checkpoint's steps{(result.Steps.Count == checkpointedSteps + 1 ? "; no LC step was left, so this run went straight to the fine-tune" : "")})"
        : "";

    private static string Describe(LcOptions o, IReadOnlyList<CompressibleLayer> layers) =>
        $"{o.Method.ToString().ToLowerInvariant()}{(o.Method == FactorizationMethod.Cur ? $" ({CompressionArguments.SelectionName(o.Cur.Selection)}{(o.Cur.Selection == CurSelection.LeverageSampling ? $" seed {o.Cur.Seed}" : "")}, ρ = {o.Cur.Oversampling})" : "")}, "
        + $"{o.Criterion.ToString().ToLowerInvariant()} cost, {(o.TargetRatio is double r ? $"target ratio {r}{(o.MinFlopsRatio is double f ? $" with ≥ {f}× fewer FLOPs" : "")}{(o.FillBudget ? "" : ", no budget fill")}" : o.Lambda is double l ? $"λ = {l:G4}" : "no λ")}, "
        + $"{(o.NormalizeError ? "errors relative to each layer's ‖A‖², " : "")}"
        + $"{(o.FixedRanks.Count == 0 ? "" : $"ranks fixed: {string.Join(", ", o.FixedRanks.Select(p => $"{p.Key} {p.Value}"))}, ")}"
        + $"{MuSchedule(o)}, {o.Steps} step{(o.Steps == 1 ? "" : "s")} × {o.EpochsPerStep} epoch{(o.EpochsPerStep == 1 ? "" : "s")}, lr {o.LearningRate}·{o.LearningRateDecay}^k, "
        + $"batch {o.BatchSize}, weight decay {o.WeightDecay}, "
        + $"{(o.DistillationWeight > 0 ? $"distillation α = {o.DistillationWeight}, T = {o.DistillationTemperature}, " : "")}"
        + $"{(o.LabelSmoothing > 0 ? $"label smoothing {o.LabelSmoothing}, " : "")}{(o.KeepVelocity ? "velocity kept, " : "")}"
        + $"fine-tune {o.FinetuneEpochs} epoch{(o.FinetuneEpochs == 1 ? "" : "s")}{(o.FinetuneEpochs > 0 ? $" at lr {o.FinetuneRateText}" : "")}, {(o.KeepDense.Count == 0 ? "" : $"kept dense: {string.Join(", ", o.KeepDense)}, ")}"
        + $"{(layers.FirstOrDefault(l => l.IsClassifier) is { } c ? $"classifier {c.Layer.Name} {(o.CompressClassifier ? "factorizable" : "dense")}, " : "")}"
        + $"{(o.ValidationShare is double v ? $"{v} of each class held out for validation, " : "")}seed {o.Seed}, {o.Threads} thread{(o.Threads == 1 ? "" : "s")}";
}
