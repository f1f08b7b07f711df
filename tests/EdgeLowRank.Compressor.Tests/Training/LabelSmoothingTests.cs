using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Tests.Compression;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>Label smoothing: the loss is the cross-entropy against (1 − ε)·one-hot + ε/K, on every path that trains.</summary>
public sealed class LabelSmoothingTests
{
    private const int Classes = 6;

    /// <summary>−Σ_c y_c·log softmax(z)_c with y = (1 − ε)·one-hot + ε/K, summed over the samples, in double precision.</summary>
    private static double ExpectedLoss(float[] logits, byte[] labels, float smoothing)
    {
        double total = 0;
        for (int b = 0; b < labels.Length; b++)
        {
            double[] z = logits.Skip(b * Classes).Take(Classes).Select(v => (double)v).ToArray();
            double logSum = Math.Log(z.Sum(Math.Exp));
            for (int c = 0; c < Classes; c++)
                total -= ((c == labels[b] ? 1 - smoothing : 0) + smoothing / Classes) * (z[c] - logSum);
        }
        return total;
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    public void TheLossIsTheCrossEntropyAgainstTheSmoothedTarget(float smoothing)
    {
        var random = new SeededRandom(31);
        float[] logits = GradientCheck.Uniform(random, 4 * Classes, 3);
        byte[] labels = [0, 5, 2, 2];
        double loss = SoftmaxCrossEntropy.Compute(logits, labels, Classes, new float[logits.Length], smoothing);
        Assert.Equal(ExpectedLoss(logits, labels, smoothing) / labels.Length, loss, 6);
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    public void GradientMatchesFiniteDifferences(float smoothing)
    {
        var random = new SeededRandom(32);
        float[] logits = GradientCheck.Uniform(random, 4 * Classes, 3);
        byte[] labels = [1, 3, 3, 0];
        var gradient = new float[logits.Length];
        SoftmaxCrossEntropy.Compute(logits, labels, Classes, gradient, smoothing);
        GradientCheck.Compare("logits", logits, gradient,
            () => SoftmaxCrossEntropy.Compute(logits, labels, Classes, new float[logits.Length], smoothing), random, step: 1e-3f);
    }

    [Fact]
    public void LogitsThatGiveTheSmoothedTargetAreTheMinimum()
    {
        // softmax(log y) = y, where the gradient softmax − y vanishes; the plain cross-entropy still pulls there.
        const float smoothing = 0.2f;
        byte[] labels = [4];
        float[] logits = Enumerable.Range(0, Classes).Select(c => MathF.Log((c == 4 ? 1 - smoothing : 0) + smoothing / Classes)).ToArray();
        float[] smoothed = new float[Classes], plain = new float[Classes];
        SoftmaxCrossEntropy.Compute(logits, labels, Classes, smoothed, smoothing);
        SoftmaxCrossEntropy.Compute(logits, labels, Classes, plain);
        Assert.All(smoothed, g => Assert.True(MathF.Abs(g) < 1e-6f, $"gradient {g} at the smoothed target"));
        Assert.True(plain.Max(MathF.Abs) > 0.1f);
    }

    [Fact]
    public void DistillationSmoothsItsHardTerm()
    {
        // With α = 0 the distillation loss is the smoothed cross-entropy, to the bit.
        var random = new SeededRandom(33);
        float[] logits = GradientCheck.Uniform(random, 3 * Classes, 3);
        float[] teacherLogits = GradientCheck.Uniform(random, 3 * Classes, 4), teacher = new float[teacherLogits.Length];
        for (int b = 0; b < 3; b++) DistillationLoss.SoftenedSoftmax(teacherLogits.AsSpan(b * Classes, Classes), 2, teacher.AsSpan(b * Classes, Classes));
        byte[] labels = [2, 0, 5];
        float[] expected = new float[logits.Length], actual = new float[logits.Length];
        double crossEntropy = SoftmaxCrossEntropy.Sum(logits, labels, Classes, 0.5f, expected, smoothing: 0.1f);
        double distillation = DistillationLoss.Sum(logits, labels, teacher, Classes, 0, 4, 0.5f, actual, smoothing: 0.1f);
        Assert.Equal(crossEntropy, distillation, 12);
        Assert.Equal(expected, actual);

        // With α = 0.3 the hard term's smoothing is in the gradient too.
        var gradient = new float[logits.Length];
        DistillationLoss.Sum(logits, labels, teacher, Classes, 0.3f, 2, 1f, gradient, smoothing: 0.1f);
        GradientCheck.Compare("logits", logits, gradient,
            () => DistillationLoss.Sum(logits, labels, teacher, Classes, 0.3f, 2, 1f, new float[logits.Length], smoothing: 0.1f), random, step: 1e-3f);
    }

    [Fact]
    public void TheWholeBatchPathSmoothsToo()
    {
        // 100 samples make one LeNet-300-100 shard, so the trainer runs the whole batch through the network itself.
        const int batch = 100;
        Dataset data = SyntheticData.Images(batch, seed: 35);
        Network network = ModelZoo.Create("lenet300", data.SampleShape, 10, 5, batch);
        Assert.True(ShardedStep.ShardSamplesFor(network) >= batch);
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = batch, Threads = 1, LabelSmoothing = 0.2 });

        double loss = trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span);

        float[] logits = network.Forward(data.Pixels.Span, batch, ComputeThreads.Single).ToArray();
        Assert.Equal(SoftmaxCrossEntropy.Compute(logits, data.Labels.Span, 10, new float[logits.Length], 0.2f), loss, 6);
        Assert.NotEqual(SoftmaxCrossEntropy.Compute(logits, data.Labels.Span, 10, new float[logits.Length]), loss, 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheShardedStepSmoothsLikeTheWholeBatch(bool distilling)
    {
        // 200 samples make two LeNet-300-100 shards, so the trainer takes the sharded path.
        const int batch = 200;
        Dataset data = SyntheticData.Images(batch, seed: 34);
        Network network = ModelZoo.Create("lenet300", data.SampleShape, 10, 5, batch);
        Assert.True(ShardedStep.ShardSamplesFor(network) < batch);
        float[] teacher = [];
        if (distilling)
        {
            float[] teacherLogits = GradientCheck.Uniform(new SeededRandom(37), batch * 10, 4);
            teacher = new float[teacherLogits.Length];
            for (int b = 0; b < batch; b++) DistillationLoss.SoftenedSoftmax(teacherLogits.AsSpan(b * 10, 10), 2, teacher.AsSpan(b * 10, 10));
        }
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = batch, Threads = 2, LabelSmoothing = 0.2 });

        double shardedLoss = trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span, new DistillationBatch(teacher, distilling ? 0.3f : 0, 2));
        float[][] sharded = network.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        // The same loss through the network's own passes, with the smoothing given and without it.
        ReadOnlySpan<float> logits = network.Forward(data.Pixels.Span, batch, new ComputeThreads(2));
        float[] logitsCopy = logits.ToArray();
        double WholeBatch(float smoothing, float[] gradient) => distilling
            ? DistillationLoss.Sum(logitsCopy, data.Labels.Span, teacher, 10, 0.3f, 2, 1f / batch, gradient, smoothing) / batch
            : SoftmaxCrossEntropy.Compute(logitsCopy, data.Labels.Span, 10, gradient, smoothing);
        var logitGradient = new float[logitsCopy.Length];
        double loss = WholeBatch(0.2f, logitGradient);
        network.Backward(logitGradient, batch, new ComputeThreads(2));

        Assert.Equal(loss, shardedLoss, 5);
        Assert.NotEqual(WholeBatch(0, new float[logitsCopy.Length]), shardedLoss, 3);
        ShardedStepTests.AssertSameGradients(sharded, network);
    }

    [Fact]
    public void TheLStepsAndTheFineTuneTrainWithTheSmoothing()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4) with { LabelSmoothing = 0.1, FinetuneEpochs = 2 };
        Trainer trainer = LearningStep.CreateTrainer(ModelZoo.Create("lenet300", SyntheticData.Images(1, seed: 1).SampleShape, 10, 1), options);
        Assert.Equal(0.1, trainer.Options.LabelSmoothing);
        Assert.Equal(0.1, Finetuning.TrainingOptions(options).LabelSmoothing);
    }

    [Fact]
    public void ResumingWithAnotherSmoothingNamesTheOption()
    {
        LcOptions options = SmallProblem.Options(FactorizationMethod.Svd, 1e-4);
        string saved = "lenet300|266610|" + options.CheckpointFingerprint();
        string current = "lenet300|266610|" + (options with { LabelSmoothing = 0.1 }).CheckpointFingerprint();
        Assert.Equal("--label-smoothing unset there, 0.1 here", SettingDifferences.BetweenFingerprints(saved, current));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AnImpossibleSmoothingIsRefusedNamingTheOption(double smoothing)
    {
        var training = Assert.Throws<TrainingException>(() => new TrainingOptions { LabelSmoothing = smoothing }.Validate());
        Assert.Contains("--label-smoothing", training.Message);
        var compression = Assert.Throws<CompressionException>(() => (SmallProblem.Options(FactorizationMethod.Cur, 1e-4) with { LabelSmoothing = smoothing }).Validate());
        Assert.Contains("--label-smoothing", compression.Message);
    }
}
