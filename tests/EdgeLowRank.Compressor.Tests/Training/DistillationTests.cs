using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>The distillation loss: its gradient, its limits, and its path through the sharded trainer.</summary>
public sealed class DistillationTests
{
    private const int Classes = 6;

    private static float[] TeacherProbabilities(SeededRandom random, int batch, float temperature)
    {
        float[] logits = GradientCheck.Uniform(random, batch * Classes, 4);
        var probabilities = new float[logits.Length];
        for (int b = 0; b < batch; b++)
            DistillationLoss.SoftenedSoftmax(logits.AsSpan(b * Classes, Classes), temperature, probabilities.AsSpan(b * Classes, Classes));
        return probabilities;
    }

    [Theory]
    [InlineData(0.5f, 4f)]
    [InlineData(0.9f, 2f)]
    [InlineData(1f, 1f)]
    public void GradientMatchesFiniteDifferences(float weight, float temperature)
    {
        var random = new SeededRandom(21);
        const int batch = 4;
        float[] logits = GradientCheck.Uniform(random, batch * Classes, 3);
        float[] teacher = TeacherProbabilities(random, batch, temperature);
        byte[] labels = [0, 5, 2, 2];
        var gradient = new float[logits.Length];
        DistillationLoss.Sum(logits, labels, teacher, Classes, weight, temperature, 1f, gradient);
        GradientCheck.Compare("logits", logits, gradient,
            () => DistillationLoss.Sum(logits, labels, teacher, Classes, weight, temperature, 1f, new float[logits.Length]), random, step: 1e-3f);
    }

    [Fact]
    public void WeightZeroIsTheCrossEntropy()
    {
        var random = new SeededRandom(22);
        float[] logits = GradientCheck.Uniform(random, 3 * Classes, 3);
        byte[] labels = [1, 4, 0];
        float[] expected = new float[logits.Length], actual = new float[logits.Length];
        double crossEntropy = SoftmaxCrossEntropy.Sum(logits, labels, Classes, 0.5f, expected, smoothing: 0);
        double distillation = DistillationLoss.Sum(logits, labels, TeacherProbabilities(random, 3, 4), Classes, 0, 4, 0.5f, actual);
        Assert.Equal(crossEntropy, distillation, 12);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void AStudentThatCopiesTheTeacherAtTemperatureOneHasNoSoftGradient()
    {
        // KL(q ‖ softmax(z)) is 0 and flat where softmax(z) = q: with α = 1 the loss and gradient vanish.
        var random = new SeededRandom(23);
        float[] logits = GradientCheck.Uniform(random, 2 * Classes, 3);
        var teacher = new float[logits.Length];
        for (int b = 0; b < 2; b++) DistillationLoss.SoftenedSoftmax(logits.AsSpan(b * Classes, Classes), 1, teacher.AsSpan(b * Classes, Classes));
        var gradient = new float[logits.Length];
        double loss = DistillationLoss.Sum(logits, [0, 1], teacher, Classes, 1, 1, 1, gradient);
        Assert.Equal(0, loss, 6);
        Assert.All(gradient, g => Assert.Equal(0, g, 6));
    }

    [Fact]
    public void ShardedAndWholeBatchDistillationGiveTheSameGradients()
    {
        const int batch = 200; // LeNet-300-100 shards of 128 and 72
        Dataset data = SyntheticData.Images(batch, seed: 24);
        Network teacherNetwork = ModelZoo.Create("lenet300", data.SampleShape, 10, 9, batch);
        TeacherTargets targets = TeacherTargets.Compute(teacherNetwork, data, 3, new ComputeThreads(1));
        float[] probabilities = Enumerable.Range(0, batch).SelectMany(i => targets.Of(i).ToArray()).ToArray();
        Network network = ModelZoo.Create("lenet300", data.SampleShape, 10, 5, batch);
        Assert.True(ShardedStep.ShardSamplesFor(network) < batch, "the batch must make at least two shards, or the sharded path is not under test");
        var trainer = new Trainer(network, new TrainingOptions { BatchSize = batch, Threads = 2 });

        double shardedLoss = trainer.ComputeGradients(data.Pixels.Span, data.Labels.Span, new DistillationBatch(probabilities, 0.7f, 3));
        float[][] sharded = network.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        ReadOnlySpan<float> logits = network.Forward(data.Pixels.Span, batch, new ComputeThreads(2));
        var logitGradient = new float[logits.Length];
        double loss = DistillationLoss.Sum(logits, data.Labels.Span, probabilities, 10, 0.7f, 3, 1f / batch, logitGradient) / batch;
        network.Backward(logitGradient, batch, new ComputeThreads(2));

        Assert.Equal(loss, shardedLoss, 5);
        ShardedStepTests.AssertSameGradients(sharded, network);
    }

    [Theory]
    [InlineData(-0.1, 4, "distillation weight")]
    [InlineData(1.5, 4, "distillation weight")]
    [InlineData(0.5, 0, "distillation temperature")]
    [InlineData(0.5, double.NaN, "distillation temperature")]
    public void ImpossibleSettingsAreRefusedBeforeAnyWork(double weight, double temperature, string message)
    {
        var options = new LcOptions { DistillationWeight = weight, DistillationTemperature = temperature, TargetRatio = 5 };
        CompressionException error = Assert.Throws<CompressionException>(options.Validate);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TheGathererHandsTheTeacherRowsOfTheSamplesItGathers()
    {
        Dataset data = SyntheticData.Images(40, seed: 25);
        TeacherTargets targets = TeacherTargets.Compute(ModelZoo.Create("lenet300", data.SampleShape, 10, 9, 40), data, 2, new ComputeThreads(1));
        var gatherer = new BatchGatherer(data, 8, targets);
        int[] order = [31, 2, 17, 39, 0];

        int count = gatherer.Gather(order);

        float[] expected = order.SelectMany(i => targets.Of(i).ToArray()).ToArray();
        Assert.Equal(expected, gatherer.Teacher(count).ToArray());
        Assert.Equal(order.Select(i => data.Labels.Span[i]).ToArray(), gatherer.Labels(count).ToArray());
    }
}
