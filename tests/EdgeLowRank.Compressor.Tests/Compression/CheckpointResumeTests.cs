using System.Reflection;
using System.Text;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.IO;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class CheckpointResumeTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(5, false)]
    [InlineData(2, true)]   // --keep-velocity: the momentum carried across L steps must survive the kill too
    public void AKilledRunResumesToTheSameBits(int killAfterStep, bool keepVelocity)
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { Steps = 5, KeepVelocity = keepVelocity };
        LcResult whole = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options);
        Assert.Null(whole.SecondsBeforeResume);
        float[][] uninterrupted = Weights(whole);

        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        var killer = new CallbackProgress(r => { if (r.Step == killAfterStep - 1) kill.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, resumeFrom: null, killer, kill.Token));
        Assert.Equal(killAfterStep, LearningCompression.CheckpointedSteps(folder.Path)); // what `elr compress --resume` announces
        var shown = new List<LcStepReport>();
        LcResult resumed = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path), new CallbackProgress(shown.Add));

        Assert.Equal(6, resumed.Steps.Count);
        // A display of the resumed run shows the whole run, the checkpoint's steps first, and its time counts theirs.
        Assert.Equal(resumed.Steps, shown);
        Assert.Equal(resumed.Steps.Take(killAfterStep + 1).Sum(r => r.Seconds), resumed.SecondsBeforeResume);
        Assert.Equal(resumed.SecondsBeforeResume!.Value + resumed.Seconds, resumed.TotalSeconds);
        float[][] after = Weights(resumed);
        Assert.Equal(uninterrupted.Length, after.Length);
        for (int i = 0; i < after.Length; i++) Assert.Equal(uninterrupted[i], after[i]);
    }

    [Fact]
    public void ACheckpointIsReadOnceForItsChecksAndTheResume()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 3 };
        float[][] uninterrupted = Weights(LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options));
        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path,
            resumeFrom: null, new CallbackProgress(r => { if (r.Step == 0) kill.Cancel(); }), kill.Token));

        SavedCompression saved = LearningCompression.Read(folder.Path);
        Assert.Null(LearningCompression.OtherReference(SmallProblem.TrainedNetwork(), options, saved));
        Assert.Equal(1, LearningCompression.RequireResumable(SmallProblem.TrainedNetwork(), options, saved));
        // elr compress --auto-resume checks it twice, then resumes it: from what was read, not from the file again.
        File.Delete(LearningCompression.CheckpointFile(folder.Path));
        LcResult resumed = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, saved);

        Assert.NotNull(resumed.SecondsBeforeResume);
        Assert.Equal(uninterrupted, Weights(resumed));
    }

    [Fact]
    public void ARunResumedTwiceCountsEveryEarlierProcesssStepsAndAFinishedOneOnlyFineTunes()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 5 };
        using var folder = new TempDirectory();
        foreach (int lastStep in new[] { 1, 3 })
        {
            using var kill = new CancellationTokenSource();
            var killer = new CallbackProgress(r => { if (r.Step == lastStep) kill.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() =>
                LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, lastStep == 3 ? LearningCompression.Read(folder.Path) : null, killer, kill.Token));
        }
        Assert.Equal(4, LearningCompression.CheckpointedSteps(folder.Path));

        LcResult resumed = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path));
        LcResult again = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path));

        // DC and steps 0–3 were timed by the two killed processes, in the reports the checkpoint carried through both.
        Assert.Equal(resumed.Steps.Take(5).Sum(r => r.Seconds), resumed.SecondsBeforeResume);
        // Every step in the checkpoint: no LC step runs, the whole table is the checkpoint's, and the result is the same.
        Assert.Equal(resumed.Steps.Select(r => (r.Step, r.Seconds)), again.Steps.Select(r => (r.Step, r.Seconds)));
        Assert.Equal(again.Steps.Sum(r => r.Seconds), again.SecondsBeforeResume);
        Assert.Equal(Weights(resumed), Weights(again));
    }

    [Fact]
    public void AFolderWithoutACheckpointHoldsNoSteps()
    {
        using var folder = new TempDirectory();
        Assert.Null(LearningCompression.CheckpointedSteps(folder.Path));
    }

    [Fact]
    public void ACheckpointOfOtherSettingsIsRefused()
    {
        using var folder = new TempDirectory();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 1, FinetuneEpochs = 0 };
        LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            options with { Lambda = 2e-4 }, folder.Path, LearningCompression.Read(folder.Path)));
        Assert.Contains("another run (--lambda 0.0001 there, 0.0002 here)", e.Message);
        // A setting made of two options names both, so the user knows which to look at.
        e = Assert.Throws<CompressionException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data,
            options with { MuGrowth = options.MuGrowth + 0.5 }, folder.Path, LearningCompression.Read(folder.Path)));
        Assert.Contains(FormattableString.Invariant($"another run (--mu0/--mu-growth {options.Mu0:R}·{options.MuGrowth:R}^k there, {options.Mu0:R}·{options.MuGrowth + 0.5:R}^k here)"), e.Message);
        // A checkpoint at μ growth 1.25 may come from before --steps set the growth: the message says how to resume it.
        string Of(LcOptions o) => "lenet300|266610|reference=xxh64 0123|" + o.CheckpointFingerprint();
        Assert.Equal(FormattableString.Invariant($"--mu0/--mu-growth {options.Mu0:R}·1.25^k there, {options.Mu0:R}·{LcOptions.MuGrowthFor(6):R}^k here ")
            + "(elr compress grew μ by 1.25 for any --steps before 2026-12-06; add --mu-growth 1.25 to resume a run started then)",
            SettingDifferences.BetweenFingerprints(Of(options with { MuGrowth = 1.25 }), Of(options with { MuGrowth = LcOptions.MuGrowthFor(6) })));
        // Another method is named alone: CUR's own settings differ with it, and a trial read "cur-core projection there,
        // unset here" as one more setting to change, one no option sets.
        Assert.Equal("--method cur there, svd here",
            SettingDifferences.BetweenFingerprints(Of(options with { Method = FactorizationMethod.Cur }), Of(options)));
        var sampling = options with { Method = FactorizationMethod.Cur, Cur = options.Cur with { Selection = CurSelection.LeverageSampling } };
        Assert.Equal("cur-seed 0 there, 1 here (before 2026-12-07 --selection sampling drew from seed 0 whatever --seed said; a checkpoint of such a run "
            + "cannot be resumed: start it again)",
            SettingDifferences.BetweenFingerprints(Of(sampling), Of(sampling with { Cur = sampling.Cur with { Seed = 1 } })));
        Assert.Equal("--selection qdeim there, deim here",
            SettingDifferences.BetweenFingerprints(Of(options with { Method = FactorizationMethod.Cur }),
                Of(options with { Method = FactorizationMethod.Cur, Cur = options.Cur with { Selection = CurSelection.Deim } })));
    }

    [Fact]
    public void ACheckpointOfAnotherReferenceIsRefused()
    {
        // Resuming with another file of the same architecture mixed the first reference's weights with the second's
        // accuracy and teacher, and exited 0.
        using var folder = new TempDirectory();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 1, FinetuneEpochs = 0 };
        LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        Network other = SmallProblem.TrainedNetwork();
        other.Parameters.First().Value[0] += 1e-3f;

        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(other, SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path)));

        Assert.Contains("another run (the reference's weights xxh64 ", e.Message);
        // The check elr compress makes before it announces the resume says the same, and passes the right reference.
        Assert.Equal(e.Message, Assert.Throws<CompressionException>(() => LearningCompression.RequireResumable(other, options, LearningCompression.Read(folder.Path))).Message);
        Assert.Equal(1, LearningCompression.RequireResumable(SmallProblem.TrainedNetwork(), options, LearningCompression.Read(folder.Path))); // the steps elr compress announces
        LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path));
    }

    [Fact]
    public void SettingsWhoseTextHoldsTheSeparatorOrThatAreOffByAFlagAreNamedRightly()
    {
        // The rank guard's text "e(r)/|W|^2 <= 0.5" was split at its '|' ("^2 <  0.5 there"), and the budget fill, on unless
        // --no-fill-budget is given, was reported the wrong way round ("--no-fill-budget yes there, unset here").
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { TargetRatio = 3 };
        string Of(LcOptions o) => "lenet300|266610|reference=xxh64 0123|" + o.CheckpointFingerprint();

        Assert.Equal("--max-relative-error e(r)/|W|^2 <= 0.5 there, e(r)/|W|^2 <= 0.4 here",
            SettingDifferences.BetweenFingerprints(Of(options), Of(options with { MaxRelativeError = 0.4 })));
        Assert.Equal("the budget fill (--no-fill-budget turns it off) on there, off here",
            SettingDifferences.BetweenFingerprints(Of(options), Of(options with { FillBudget = false })));
    }

    [Fact]
    public void ADamagedCheckpointIsRefusedNotResumed()
    {
        // One flipped bit in a weight resumed silently into another run (3.67% error instead of 2.54% in a user's test).
        using var folder = new TempDirectory();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 1, FinetuneEpochs = 0 };
        LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        string path = Path.Combine(folder.Path, "lc-checkpoint.bin");
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointFormatException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path, LearningCompression.Read(folder.Path)));

        Assert.Contains("is damaged (its CRC-64 does not match", e.Message);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(18, true)]
    [InlineData(20, true)]
    public void ACheckpointCutShortIsNamedWithItsLengthOnceItsMagicIsWhole(int length, bool magicWhole)
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "lc-checkpoint.bin");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("\u0011ELR-LC-CHECKPOINT-and-more")[..length]);

        var e = Assert.Throws<CheckpointFormatException>(() => LcCheckpoint.Load(folder.Path));

        Assert.Equal(magicWhole ? $"{path} is too short to be an LC checkpoint ({length} bytes): it was cut short; delete it to start over." : NotACheckpoint(path), e.Message);
    }

    [Fact]
    public void ACheckpointWhoseFirstBytesAreDamagedIsNotCalledShort()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { Steps = 1, FinetuneEpochs = 0 };
        using var folder = new TempDirectory();
        LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        string path = Path.Combine(folder.Path, "lc-checkpoint.bin");
        byte[] bytes = File.ReadAllBytes(path);
        bytes[0] = bytes[1] = 0xFF; // read as a string, the magic's length prefix became ~16,000 bytes: "too short", before
        File.WriteAllBytes(path, bytes);

        Assert.Equal(NotACheckpoint(path), Assert.Throws<CheckpointFormatException>(() => LcCheckpoint.Load(folder.Path)).Message);
    }

    private static string NotACheckpoint(string path) =>
        $"{path} is not an LC checkpoint (it does not start with one's magic: another file, or its start is damaged); delete it or choose another --checkpoint folder.";

    [Fact]
    public void ACheckpointOfAnotherVersionOrNoCheckpointAtAllIsNamedForWhatItIs()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "lc-checkpoint.bin");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("ELR-LC-CHECKPOINT");
            writer.Write(LcCheckpoint.Version - 1);
            writer.Write(new byte[64]);
        }
        Assert.StartsWith($"{path} was written by an older elr (checkpoint version {LcCheckpoint.Version - 1}; this one reads version {LcCheckpoint.Version})",
            Assert.Throws<CheckpointFormatException>(() => LcCheckpoint.Load(folder.Path)).Message);

        // A file whose first byte is no valid string length prefix for the magic (0xFF… runs past 32 bits), and one whose
        // first string is another magic: both are another program's file.
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. new byte[64]]);
        Assert.Equal(NotACheckpoint(path), Assert.Throws<CheckpointFormatException>(() => LcCheckpoint.Load(folder.Path)).Message);
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("SOMETHING-ELSE");
            writer.Write(new byte[64]);
        }
        Assert.Equal(NotACheckpoint(path), Assert.Throws<CheckpointFormatException>(() => LcCheckpoint.Load(folder.Path)).Message);
    }

    [Fact]
    public void RewordingTheFingerprintNeedsANewCheckpointVersion()
    {
        // The fingerprint of one fixed set of settings, per checkpoint version. Rewording a property of
        // LcOptions.ToProperties changes it and makes every older checkpoint unresumable ("belongs to another run"), so it
        // must come with LcCheckpoint.Version + 1 and a new line here, never with an edit of an old line.
        const string version3 = "compress.method=cur" +
                "|compress.selection=qdeim" +
                "|compress.oversampling=2" +
                "|compress.cur-core=projection" +
                "|compress.criterion=storage" +
                "|compress.keep-dense=fc2" +
                "|compress.lambda=per step (target ratio)" +
                "|compress.target-ratio=10" +
                "|compress.fill-budget=yes" +
                "|compress.min-flops-ratio=3" +
                "|compress.mu=0.01·1.5^k" +
                "|compress.steps=12" +
                "|compress.stop-tolerance=0" +
                "|compress.epochs-per-step=1" +
                "|compress.batch=64" +
                "|compress.lr=0.05·0.93^k" +
                "|compress.momentum=0.9 (Nesterov)" +
                "|compress.weight-decay=0.0001" +
                "|compress.rank-guard=e(r)/|W|^2 <= 0.5" +
                "|compress.min-rank-saving=0.1" +
                "|compress.seed=1";
        var known = new Dictionary<int, string>
        {
            [3] = version3,
            [4] = version3, // version 4 added the file's CRC-64; the settings it fingerprints did not change
            [5] = version3, // version 5 added the optimizer's velocity (--keep-velocity); the same settings
            [6] = version3, // version 6 added the reference's weights, outside the settings
            // version 7: the classifier dense unless --compress-classifier, a new setting
            [7] = version3.Replace("|compress.keep-dense=fc2", "|compress.keep-dense=fc2|compress.classifier=factorizable"),
        };
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { TargetRatio = 10, MinFlopsRatio = 3, KeepDense = ["fc2"] };
        Assert.True(known.ContainsKey(LcCheckpoint.Version), $"checkpoint version {LcCheckpoint.Version} has no fingerprint line here; add it");
        Assert.Equal(known[LcCheckpoint.Version], options.CheckpointFingerprint());
    }

    [Fact]
    public void TheFingerprintDoesNotDependOnTheMachinesCulture()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { TargetRatio = 10.5, MinFlopsRatio = 3.5, DistillationWeight = 0.3 };
        string invariant = options.CheckpointFingerprint();
        // A culture with a comma decimal separator, built from the invariant one so it exists even without ICU data.
        var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = comma;
            Assert.Equal("0,5", 0.5.ToString());   // the culture is in force, so the next line can fail
            Assert.Equal(invariant, options.CheckpointFingerprint());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
        Assert.Contains("target-ratio=10.5", invariant);
    }

    /// <summary>Settings that must not reach the fingerprint, and the latency model (its own test: a table's digest).</summary>
    private static readonly string[] NotRunShaping =
    [
        nameof(LcOptions.Threads), nameof(LcOptions.FinetuneEpochs), nameof(LcOptions.FinetuneLearningRate),
        nameof(LcOptions.FinetuneLearningRateDecay), nameof(LcOptions.FinetuneWeightDecay), nameof(LcOptions.FinetuneKeepBest), nameof(LcOptions.LatencyModel), nameof(LcOptions.Cur),
    ];

    [Fact]
    public void EverySettingThatShapesTheRunChangesTheFingerprint()
    {
        // Found by reflection, so a setting added later without a property in ToProperties fails here. The base switches
        // on what hides other settings: CUR (its settings), leverage sampling (its seed), distillation (its temperature),
        // a validation share (its split seed).
        // λ and a target ratio hide each other's settings, so each setting must show in the base with λ or in the one
        // with a target ratio.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with
        {
            Cur = new CurOptions(CurSelection.LeverageSampling), DistillationWeight = 0.3, ValidationShare = 0.1,
        };
        LcOptions withTarget = options with { TargetRatio = 3 };
        var checkedSettings = new List<string>();
        foreach (PropertyInfo setting in Settings(typeof(LcOptions)).Where(p => !NotRunShaping.Contains(p.Name)))
        {
            bool shows = options.CheckpointFingerprint() != Changed(options, setting).CheckpointFingerprint()
                || withTarget.CheckpointFingerprint() != Changed(withTarget, setting).CheckpointFingerprint();
            Assert.True(shows, $"{setting.Name} does not change the checkpoint fingerprint");
            checkedSettings.Add(setting.Name);
        }
        foreach (PropertyInfo setting in Settings(typeof(CurOptions)))
        {
            Assert.NotEqual(options.CheckpointFingerprint(), (options with { Cur = Changed(options.Cur, setting) }).CheckpointFingerprint());
            checkedSettings.Add($"Cur.{setting.Name}");
        }
        Assert.True(checkedSettings.Count >= 24, $"only {checkedSettings.Count} settings were found: {string.Join(", ", checkedSettings)}");
    }

    private static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    /// <summary>A copy of the record <paramref name="value"/> with <paramref name="setting"/> moved off its current value.</summary>
    private static T Changed<T>(T value, PropertyInfo setting) where T : class
    {
        var copy = (T)typeof(T).GetMethod("<Clone>$")!.Invoke(value, null)!;
        object? current = setting.GetValue(value);
        object? other = current switch
        {
            double d => d == 0 ? 0.25 : d * 1.5,
            int i => i + 1,
            ulong u => u + 1,
            bool b => !b,
            Enum e => Enum.GetValues(e.GetType()).Cast<object>().First(v => !v.Equals(e)),
            null when setting.PropertyType == typeof(double?) => 7.0,
            null when setting.PropertyType == typeof(ulong?) => (ulong)7,
            IReadOnlyList<string> names => names.Append("fc1").ToArray(),
            IReadOnlyDictionary<string, int> ranks => new Dictionary<string, int>(ranks) { ["fc1"] = 5 },
            _ => throw new InvalidOperationException($"No rule to change {setting.Name} of type {setting.PropertyType}; add one."),
        };
        setting.SetValue(copy, other);
        return copy;
    }

    [Fact]
    public void SettingsThatAreOffThreadsAndTheFineTuneLeaveTheFingerprintAlone()
    {
        // So a checkpoint stays resumable when a later version adds a setting that is off by default.
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4);
        LcOptions other = options with
        {
            Threads = options.Threads + 1, DistillationTemperature = options.DistillationTemperature + 1, Cur = options.Cur with { Selection = CurSelection.Deim },
            FinetuneEpochs = options.FinetuneEpochs + 3, FinetuneLearningRate = 0.5,
        };
        Assert.Equal(options.CheckpointFingerprint(), other.CheckpointFingerprint());
        Assert.DoesNotContain("none", options.CheckpointFingerprint());
        Assert.NotEqual(options.CheckpointFingerprint(), (options with { DistillationWeight = 0.3 }).CheckpointFingerprint());
    }

    [Fact]
    public void AFinishedCheckpointCanBeFineTunedAgainWithOtherSettings()
    {
        using var folder = new TempDirectory();
        LcOptions options = SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { Steps = 3, FinetuneEpochs = 0 };
        LcResult first = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, options, folder.Path);
        LcOptions other = options with { FinetuneEpochs = 2, FinetuneLearningRate = 0.02, FinetuneLearningRateDecay = 0.5, FinetuneWeightDecay = 1e-4 };
        LcResult again = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, other, folder.Path, LearningCompression.Read(folder.Path));
        LcResult direct = LearningCompression.Run(SmallProblem.TrainedNetwork(), SmallProblem.Data, other);

        Assert.Equal(first.Steps.Count, again.Steps.Count);
        Assert.Equal(first.AccuracyBeforeFinetune, again.AccuracyBeforeFinetune);
        float[][] resumed = Weights(again), uninterrupted = Weights(direct);
        for (int i = 0; i < resumed.Length; i++) Assert.Equal(uninterrupted[i], resumed[i]);
    }

    private static float[][] Weights(LcResult result) => result.Network.Parameters.Select(p => p.Value.ToArray()).ToArray();

    internal sealed class CallbackProgress(Action<LcStepReport> report) : IProgress<LcStepReport>
    {
        public void Report(LcStepReport value) => report(value);
    }

    /// <summary>An LC checkpoint whose count of finished steps disagrees with its step reports, its CRC-64 resealed, is refused
    /// as damaged: −7 resumed steps at the wrong μ, 2,147,483,647 ran none and wrote the model (exit 0 both).</summary>
    [Theory]
    [InlineData(-7, "its count of finished LC steps is -7, but it holds 0 step reports, one more than the finished steps")]
    [InlineData(int.MaxValue, "its count of finished LC steps is 2,147,483,647, but it holds 0 step reports, one more than the finished steps")]
    public void An_lc_checkpoint_whose_step_count_disagrees_with_its_reports_is_refused_as_damaged(int completed, string fault)
    {
        using var folder = new TempDirectory();
        string path = LcCheckpoint.PathIn(folder.Path);
        CheckpointFile.Write(path, new CheckpointFile.Kind("ELR-LC-CHECKPOINT", LcCheckpoint.Version, "an LC checkpoint", "checkpoint version"), writer =>
        {
            writer.Write(completed);
            writer.Write("fp");
            for (int arrays = 0; arrays < 6; arrays++) writer.Write(0); // parameters, theta, multipliers, left, right, velocity
            writer.Write(0);                                            // layers
            writer.Write("[]");                                         // step reports
        });

        var e = Assert.Throws<CheckpointFormatException>(() => LcCheckpoint.Load(folder.Path));
        Assert.Equal($"{path} is a damaged checkpoint ({fault}); delete it to start over, or give another --checkpoint folder.", e.Message);
    }
}
