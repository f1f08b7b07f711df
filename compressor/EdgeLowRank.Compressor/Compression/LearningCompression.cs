using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Compression;

/// <summary>An LC checkpoint as <see cref="LearningCompression.Read"/> read it, once: checked and then resumed without reading
/// the file again (a LeNet-300-100 checkpoint is 3.4 MB, and each read checks its CRC).</summary>
public sealed class SavedCompression
{
    internal SavedCompression(LcCheckpoint checkpoint, string directory)
    {
        Checkpoint = checkpoint;
        Directory = directory;
    }

    internal LcCheckpoint Checkpoint { get; }

    /// <summary>The folder it was read from, as the messages name it.</summary>
    public string Directory { get; }
}

/// <summary>
/// Low-rank compression of a trained network by learning-compression (Carreira-Perpiñán; Idelbayev &amp;
/// Carreira-Perpiñán 2020), with CUR or truncated-SVD C steps: direct compression, then K steps of
/// (L step, C step, multiplier update) with μ_k = μ₀·a^k, then the network reparametrized into its
/// factors and fine-tuned with ranks fixed. docs/ALGORITHM.md states every formula.
/// </summary>
public static class LearningCompression
{
    /// <summary>Compresses <paramref name="network"/> (changed in place) and returns it with the run's record.</summary>
    /// <param name="network">A trained network; its Dense and Conv2d layers are compressed.</param>
    /// <param name="data">Training data for the L steps and fine-tune (less the <see cref="LcOptions.ValidationShare"/> held out); test data for the reports.</param>
    /// <param name="options">The settings (validated first).</param>
    /// <param name="checkpointDirectory">Where to write a checkpoint after every LC step; null for none.</param>
    /// <param name="resumeFrom">The checkpoint to continue from (<see cref="Read"/> from <paramref name="checkpointDirectory"/>); null to start.</param>
    /// <param name="progress">Receives a report after the direct compression and after every LC step; when the run resumes,
    /// first the reports of the steps its checkpoint holds, so that a display shows the whole run.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="CompressionException">A setting, the model, the data or the checkpoint does not fit.</exception>
    /// <exception cref="DatasetException">The validation share leaves no sample on one side.</exception>
    public static LcResult Run(Network network, DatasetParts data, LcOptions options, string? checkpointDirectory = null, SavedCompression? resumeFrom = null,
        IProgress<LcStepReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        if (resumeFrom is not null && checkpointDirectory is null) throw new CompressionException("--resume needs a --checkpoint folder.");
        try
        {
            Trainer.RequireCompatible(network, data.Train);
        }
        catch (TrainingException e)
        {
            throw new CompressionException(e.Message);
        }
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        CheckRequest(layers, options);
        (Dataset train, Dataset? validation) = options.ValidationShare is double share
            ? data.Train.SplitValidation(share, options.ValidationSeed ?? options.Seed)
            : (data.Train, null);
        var threads = new ComputeThreads(options.Threads);
        var clock = Stopwatch.StartNew();
        double referenceAccuracy = Trainer.Evaluate(network, data.Test, threads).Accuracy;
        // The teacher is the reference, so its targets are taken now, before a checkpoint replaces the weights.
        TeacherTargets? teacher = options.DistillationWeight > 0
            ? TeacherTargets.Compute(network, train, (float)options.DistillationTemperature, threads)
            : null;
        string fingerprint = Fingerprint(network, options);

        float[][] multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        LayerDecision[] decisions;
        List<LcStepReport> reports;
        int completed;
        double? secondsBeforeResume = null;
        LcCheckpoint? saved = resumeFrom?.Checkpoint;
        if (saved is not null)
        {
            RequireSameRun(saved, fingerprint, resumeFrom!.Directory);
            Restore(network, saved);
            multipliers = saved.Multipliers;
            decisions = layers.Select((_, l) => saved.KeepDense[l]
                ? new LayerDecision(saved.Ranks[l], true, saved.Theta[l], null, null)
                : new LayerDecision(saved.Ranks[l], false, saved.Theta[l], saved.Left[l], saved.Right[l])).ToArray();
            reports = saved.Reports;
            completed = saved.CompletedSteps;
            secondsBeforeResume = reports.Sum(r => r.Seconds);
            foreach (LcStepReport report in reports) progress?.Report(report);
        }
        else
        {
            // Direct compression: the C step on the reference weights, multipliers zero.
            var stepClock = Stopwatch.StartNew();
            (decisions, double lambda) = CompressionStep.Run(layers, multipliers, options.MuAt(0), options.ForStep(-1));
            reports = [Report(-1, options.MuAt(0), lambda, 0, double.NaN, network, data.Test, validation, layers, decisions, threads, stepClock)];
            progress?.Report(reports[^1]);
            completed = 0;
            Save(checkpointDirectory, network, fingerprint, completed, decisions, multipliers, reports, null);
        }

        Trainer? shared = options.KeepVelocity ? LearningStep.CreateTrainer(network, options) : null;
        // A checkpoint of the direct compression holds no velocity: no L step has run, and a new optimizer's is zero.
        if (shared is not null && saved is { Velocity.Length: > 0 }) shared.Optimizer.RestoreVelocity(saved.Velocity);
        for (int k = completed; k < options.Steps && !Converged(reports, options, layers); k++)
        {
            var stepClock = Stopwatch.StartNew();
            double mu = options.MuAt(k);
            float[]?[] theta = decisions.Select(d => d.KeepDense ? null : d.Theta).ToArray();
            double loss = shared is null
                ? LearningStep.Run(network, train, teacher, layers, theta, multipliers, mu, k, options, cancellationToken)
                : LearningStep.Run(shared, train, teacher, layers, theta, multipliers, mu, k, options, cancellationToken);
            (decisions, double lambda) = CompressionStep.Run(layers, multipliers, mu, options.ForStep(k));
            UpdateMultipliers(layers, decisions, multipliers, mu);
            reports.Add(Report(k, mu, lambda, options.LearningRateAt(k), loss, network, data.Test, validation, layers, decisions, threads, stepClock));
            progress?.Report(reports[^1]);
            Save(checkpointDirectory, network, fingerprint, k + 1, decisions, multipliers, reports, shared?.Optimizer.Velocity);
        }

        double gap = reports[^1].ConstraintGap;
        double relativeGap = gap / CompressedNorm(layers, options);
        Reparametrization.Apply(network, layers, decisions, options.Method);
        double beforeFinetune = Trainer.Evaluate(network, data.Test, threads).Accuracy;
        FinetuneChoice? finetune = Finetuning.Run(network, train, validation, options, threads, cancellationToken);
        double accuracy = Trainer.Evaluate(network, data.Test, threads).Accuracy;
        // The fine-tune scored the network it left on the held-out share already.
        double? validationAccuracy = finetune is not null ? finetune.Scores[finetune.EpochKept].Accuracy
            : validation is null ? null : Trainer.Evaluate(network, validation, threads).Accuracy;
        return new LcResult(network, referenceAccuracy, accuracy, beforeFinetune, reports, gap, relativeGap, clock.Elapsed.TotalSeconds, validationAccuracy)
        {
            TrainingSamples = train.Count, Finetune = finetune, SecondsBeforeResume = secondsBeforeResume,
        };
    }

    /// <summary>How many LC steps the checkpoint in <paramref name="checkpointDirectory"/> holds, or null when it holds none,
    /// so a caller can say where a resumed run picks up (whether it belongs to this run is checked by <see cref="Run"/>).</summary>
    /// <exception cref="CompressionException">The checkpoint cannot be read.</exception>
    public static int? CheckpointedSteps(string checkpointDirectory) => LcCheckpoint.Load(checkpointDirectory)?.CompletedSteps;

    /// <summary>Reads the checkpoint in <paramref name="checkpointDirectory"/> to resume, once for the checks and the resume.</summary>
    /// <exception cref="CompressionException">There is none.</exception>
    /// <exception cref="IO.CheckpointFormatException">It is damaged, or not an LC checkpoint of this version.</exception>
    public static SavedCompression Read(string checkpointDirectory) => new(LcCheckpoint.Load(checkpointDirectory)
        ?? throw new CompressionException($"{checkpointDirectory} holds no checkpoint; give the folder of the run to continue."), checkpointDirectory);

    /// <summary>
    /// Checks, before anything is printed or computed, that <paramref name="saved"/> was written by a run of this
    /// <paramref name="network"/> (the reference, as loaded) with these options, as <see cref="Run"/> does again when it resumes.
    /// </summary>
    /// <returns>The LC steps the checkpoint holds, as <c>elr compress</c> announces them.</returns>
    /// <exception cref="CompressionException">It belongs to another run; the message names what differs.</exception>
    public static int RequireResumable(Network network, LcOptions options, SavedCompression saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        RequireSameRun(saved.Checkpoint, Fingerprint(network, options), saved.Directory);
        return saved.Checkpoint.CompletedSteps;
    }

    /// <summary>
    /// The reference digest of <paramref name="saved"/> when it was written by a run of this
    /// command on another reference of the same network (its name and parameter count) with these options, else null: the
    /// reference file was trained again since, as a nightly job does, or another file of the network was given, which the
    /// checkpoint cannot tell apart; <c>elr compress --auto-resume</c> sets it aside under this digest and starts anew.
    /// </summary>
    public static string? OtherReference(Network network, LcOptions options, SavedCompression saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return SettingDifferences.OnlyReferenceDiffers(saved.Checkpoint.Fingerprint, Fingerprint(network, options))
            ? SettingDifferences.ReferenceDigest(saved.Checkpoint.Fingerprint)
            : null;
    }

    /// <summary>The digest a checkpoint of a run on <paramref name="network"/> names its reference by (XxHash64, hex).</summary>
    public static string ReferenceDigest(Network network) => WeightsDigest(network);

    /// <summary>Whether <paramref name="checkpointDirectory"/> holds a checkpoint file, read or not.</summary>
    public static bool HasCheckpoint(string checkpointDirectory) => File.Exists(CheckpointFile(checkpointDirectory));

    /// <summary>The file in <paramref name="checkpointDirectory"/> that holds the checkpoint (written after every LC step).</summary>
    public static string CheckpointFile(string checkpointDirectory) => LcCheckpoint.PathIn(checkpointDirectory);

    private static void RequireSameRun(LcCheckpoint saved, string fingerprint, string checkpointDirectory)
    {
        if (saved.Fingerprint != fingerprint)
            throw new CompressionException($"The checkpoint in {checkpointDirectory} belongs to another run ({SettingDifferences.BetweenFingerprints(saved.Fingerprint, fingerprint)}); "
                + "resume with that run's model file and settings, or delete it or choose another --checkpoint folder.");
    }

    /// <summary>The checks that need the network: the layers to keep dense exist, the fixed ranks fit (and λ or a target ratio is
    /// given exactly when a rank is left to choose), and the target ratio and the least FLOPs ratio can be reached.</summary>
    /// <exception cref="CompressionException">One fails; the message says what to change.</exception>
    public static void CheckRequest(IReadOnlyList<CompressibleLayer> layers, LcOptions options)
    {
        CompressibleLayer.RequireNames(layers, options);
        FixedRankRequest.Require(layers, options);
        if (options.TargetRatio is double ratio) RequireReachable("--target-ratio", ratio, layers, options);
        if (options.MinFlopsRatio is double floor) RequireReachable("--min-flops-ratio", floor, layers, options with { Criterion = CostCriterion.Flops, LatencyModel = null });
    }

    private static void RequireReachable(string option, double ratio, IReadOnlyList<CompressibleLayer> layers, LcOptions options)
    {
        double highest = CompressionStep.HighestReachableRatio(layers, options);
        if (ratio > highest)
            throw new CompressionException($"{option} {ratio:G4} cannot be reached: with every layer at its cheapest rank"
                + (layers.Any(options.KeepsDense) ? $" but those kept dense ({options.DenseLayerList(layers)})" : "")
                + (options.FixedRanks.Count > 0 ? " and those in --ranks at their ranks" : "")
                + $", the {options.Criterion.ToString().ToLowerInvariant()} cost falls {highest:F2}× at most. Lower {option}"
                + string.Concat(WaysHigher(highest, layers, options).Select(way => $", or {way}")) + ".");
    }

    /// <summary>The options that would raise the highest reachable ratio by at least 1% above <paramref name="highest"/>, each with
    /// the ratio it reaches: offered only where they help (a factorized classifier can be slower than its dense one on a board,
    /// and then --compress-classifier changes nothing under the latency criterion; a 100 × 10 classifier adds nothing to speak of).</summary>
    private static IEnumerable<string> WaysHigher(double highest, IReadOnlyList<CompressibleLayer> layers, LcOptions options)
    {
        bool Helps(double reached) => reached >= highest * 1.01;
        if (options.KeepDense.Count > 0 && CompressionStep.HighestReachableRatio(layers, options with { KeepDense = [] }) is var none && Helps(none))
            yield return $"keep fewer layers dense ({none:F2}× with none of them kept)";
        if (layers.Any(options.HoldsDense) && CompressionStep.HighestReachableRatio(layers, options with { CompressClassifier = true }) is var classifier && Helps(classifier))
            yield return $"add --compress-classifier ({classifier:F2}× with it)";
        // The fixed ranks count at their own cost: lower ones, or leaving their layers to the C step, is a way past them.
        if (options.FixedRanks.Count > 0 && CompressionStep.HighestReachableRatio(layers, options with { FixedRanks = new Dictionary<string, int>() }) is var free && Helps(free))
            yield return $"lower the ranks in --ranks or leave those layers to the C step ({free:F2}× with none fixed)";
    }

    /// <summary>λ_l ← λ_l − μ(W_l − Θ_l).</summary>
    private static void UpdateMultipliers(IReadOnlyList<CompressibleLayer> layers, LayerDecision[] decisions, float[][] multipliers, double mu)
    {
        float m = (float)mu;
        for (int l = 0; l < layers.Count; l++)
        {
            float[] w = layers[l].Layer.Weight.Value, theta = decisions[l].Theta, lambdas = multipliers[l];
            for (int i = 0; i < w.Length; i++) lambdas[i] -= m * (w[i] - theta[i]);
        }
    }

    /// <summary>The stopping rule: the weights are within StopTolerance of Θ (relative) and the ranks held for 3 steps.</summary>
    private static bool Converged(List<LcStepReport> reports, LcOptions options, IReadOnlyList<CompressibleLayer> layers)
    {
        if (reports.Count < 4) return false;
        double norm = CompressedNorm(layers, options);
        bool close = reports[^1].ConstraintGap <= options.StopTolerance * norm;
        bool stable = reports.TakeLast(4).Select(r => string.Join(',', r.Ranks)).Distinct().Count() == 1;
        return close && stable;
    }

    private static LcStepReport Report(int step, double mu, double lambda, double rate, double loss, Network network, Dataset test, Dataset? validation,
        IReadOnlyList<CompressibleLayer> layers, LayerDecision[] decisions, ComputeThreads threads, Stopwatch clock)
    {
        double gap = 0;
        for (int l = 0; l < layers.Count; l++) gap += SquaredDistance(layers[l].Layer.Weight.Value, decisions[l].Theta);
        double[] accuracies = EvaluateWithTheta(network, validation is null ? [test] : [test, validation], layers, decisions, threads);
        double error = 1 - accuracies[0];
        double? validationError = validation is null ? null : 1 - accuracies[1];
        int[] ranks = decisions.Select(d => d.KeepDense ? -1 : d.Rank).ToArray();
        return new LcStepReport(step, mu, lambda, rate, loss, error, ranks, CompressionRatios.Storage(layers, decisions),
            CompressionRatios.Flops(layers, decisions), gap, clock.Elapsed.TotalSeconds, validationError,
            LambdaSaturated: CompressionStep.LambdaSaturated(decisions));
    }

    /// <summary>The accuracy on each of <paramref name="sets"/> of the network with each W_l replaced by Θ_l (W is put back afterwards).</summary>
    private static double[] EvaluateWithTheta(Network network, Dataset[] sets, IReadOnlyList<CompressibleLayer> layers, LayerDecision[] decisions, ComputeThreads threads)
    {
        float[][] saved = layers.Select(l => (float[])l.Layer.Weight.Value.Clone()).ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            if (!decisions[l].KeepDense) decisions[l].Theta.CopyTo(layers[l].Layer.Weight.Value, 0);
        }
        double[] accuracies = sets.Select(set => Trainer.Evaluate(network, set, threads).Accuracy).ToArray();
        for (int l = 0; l < layers.Count; l++) saved[l].CopyTo(layers[l].Layer.Weight.Value, 0);
        return accuracies;
    }

    /// <summary>Writes the checkpoint when the run has a folder for it; <paramref name="velocity"/> is the optimizer's when it carries
    /// across L steps (--keep-velocity), null when each L step starts from zero.</summary>
    private static void Save(string? directory, Network network, string fingerprint, int completed, LayerDecision[] decisions, float[][] multipliers,
        List<LcStepReport> reports, IReadOnlyList<float[]>? velocity)
    {
        if (directory is null) return;
        new LcCheckpoint
        {
            CompletedSteps = completed, Fingerprint = fingerprint,
            Parameters = network.TrainedState.ToArray(),
            Theta = decisions.Select(d => d.Theta).ToArray(),
            Multipliers = multipliers,
            Left = decisions.Select(d => d.Left ?? []).ToArray(),
            Right = decisions.Select(d => d.Right ?? []).ToArray(),
            Ranks = decisions.Select(d => d.Rank).ToArray(),
            KeepDense = decisions.Select(d => d.KeepDense).ToArray(),
            Velocity = velocity?.ToArray() ?? [],
            Reports = reports,
        }.Save(directory);
    }

    private static void Restore(Network network, LcCheckpoint saved)
    {
        Parameter[] parameters = network.Parameters.ToArray();
        float[][] state = network.TrainedState.ToArray();
        bool velocityFits = saved.Velocity.Length == 0
            || (saved.Velocity.Length == parameters.Length && !parameters.Where((p, i) => p.Length != saved.Velocity[i].Length).Any());
        if (state.Length != saved.Parameters.Length || state.Where((s, i) => s.Length != saved.Parameters[i].Length).Any() || !velocityFits)
            throw new CompressionException("The checkpoint's parameters do not match this network; delete the checkpoint or choose another folder.");
        for (int i = 0; i < state.Length; i++) saved.Parameters[i].CopyTo(state[i], 0);
    }

    /// <summary>
    /// Identifies the reference (its architecture and its weights) and the settings that change the LC steps, so a
    /// checkpoint is never resumed into another run: a checkpoint of one reference resumed with another file of the same
    /// architecture would mix the first's weights with the second's accuracy and teacher.
    /// </summary>
    private static string Fingerprint(Network network, LcOptions options) =>
        $"{network.Name}|{network.ParameterCount}|reference=xxh64 {WeightsDigest(network)}|{options.CheckpointFingerprint()}";

    /// <summary>XxHash64 of every parameter's values, in the network's order, of the batch norms' running statistics, and of
    /// the frozen layers' values, which no step changes and so no checkpoint saves, but which another reference may hold otherwise.</summary>
    private static string WeightsDigest(Network network)
    {
        var hash = new XxHash64();
        IEnumerable<float[]> frozen = network.Layers.OfType<FrozenLayer>().SelectMany(f => f.FixedParameters).Select(p => p.Value);
        foreach (float[] values in network.TrainedState.Concat(frozen)) hash.Append(MemoryMarshal.AsBytes(values.AsSpan()));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>Σ‖W_l‖² over the layers the C step may factorize: a layer kept dense has no gap, so it must not dilute the relative one.</summary>
    private static double CompressedNorm(IReadOnlyList<CompressibleLayer> layers, LcOptions options) =>
        layers.Where(l => !options.KeepsDense(l)).Sum(l => SquaredNorm(l.Layer.Weight.Value));

    private static double SquaredNorm(float[] x)
    {
        double sum = 0;
        foreach (float v in x) sum += (double)v * v;
        return sum;
    }

    private static double SquaredDistance(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
