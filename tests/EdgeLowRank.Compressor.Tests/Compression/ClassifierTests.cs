using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Latency;
using EdgeLowRank.Compressor.Tests.Latency;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>The classifier stays dense unless <see cref="LcOptions.CompressClassifier"/> lets the C step factorize it.</summary>
public sealed class ClassifierTests
{
    [Fact]
    public void The_last_dense_layer_is_the_classifier_and_no_other()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        Assert.Equal([false, true], layers.Select(l => l.IsClassifier));

        // A network whose scores come from a convolution (6×6 to 1×1) has no dense classifier to protect.
        var convolutional = new Network("conv-only", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3)), new Relu("relu1"),
            new Conv2d("conv2", 8, 10, new ConvolutionGeometry(6)), new Flatten("flatten"),
        ], maxBatch: 4);
        Assert.All(CompressibleLayer.Find(convolutional), l => Assert.False(l.IsClassifier));
    }

    [Fact]
    public void By_default_the_C_step_keeps_the_classifier_dense_where_it_would_factorize_it()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        float[][] multipliers = layers.Select(l => new float[l.Layer.Weight.Length]).ToArray();
        // A λ high enough to factorize both layers when allowed (a loose guard lets low ranks through).
        var options = new LcOptions { Method = FactorizationMethod.Svd, Lambda = 1e3, MaxRelativeError = 0.999, Threads = 1 };

        (LayerDecision[] byDefault, _) = CompressionStep.Run(layers, multipliers, 1e-2, options);
        (LayerDecision[] allowed, _) = CompressionStep.Run(layers, multipliers, 1e-2, options with { CompressClassifier = true });

        Assert.False(allowed[1].KeepDense);   // so the default is what keeps it dense
        Assert.True(allowed[1].Rank < layers[1].Rows);
        Assert.True(byDefault[1].KeepDense);
        Assert.False(byDefault[0].KeepDense);
    }

    [Fact]
    public void A_request_that_leaves_nothing_to_compress_names_the_classifier_and_the_option()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        var options = new LcOptions { KeepDense = ["fc1"] };

        var e = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, options));

        Assert.Equal("No layer is left to compress: every one is kept dense (fc1 (--keep-dense), fc2 (the classifier)); keep fewer layers dense, or add --compress-classifier.", e.Message);
        LearningCompression.CheckRequest(layers, options with { CompressClassifier = true });
    }

    [Fact]
    public void A_ratio_only_the_classifier_stops_names_the_option()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        var options = new LcOptions { MaxRelativeError = 0.999 };
        double highest = CompressionStep.HighestReachableRatio(layers, options);

        var e = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, options with { TargetRatio = highest * 1.01 }));

        Assert.Contains("but those kept dense (fc2 (the classifier))", e.Message);
        double freed = CompressionStep.HighestReachableRatio(layers, options with { CompressClassifier = true });
        Assert.EndsWith(FormattableString.Invariant($"Lower --target-ratio, or add --compress-classifier ({freed:F2}× with it)."), e.Message);
        LearningCompression.CheckRequest(layers, options with { TargetRatio = highest * 1.01, CompressClassifier = true });
    }

    [Fact]
    public void Compress_classifier_is_not_offered_where_it_would_not_raise_the_ratio()
    {
        // A board where two kernel calls cost far more than one: a factorized classifier is slower, so freeing it reaches no
        // higher latency ratio, and a user trial that added --compress-classifier as told got the same refusal again.
        using var files = new LatencyTableFiles();
        static double Gemv(int inputs, int outputs) => 1e-6 + 1e-10 * inputs * outputs;
        var board = new LatencyCostModel(LatencyTable.Load(files.Write(Gemv, (i, o, r) => 50e-6 + Gemv(i, r) + Gemv(r, o))));
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        var options = new LcOptions { MaxRelativeError = 0.999, Criterion = CostCriterion.Latency, LatencyModel = board };

        var e = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, options with { TargetRatio = 1.5 }));

        Assert.Contains("but those kept dense (fc2 (the classifier))", e.Message);
        Assert.EndsWith("Lower --target-ratio.", e.Message);
    }

    [Fact]
    public void The_classifier_named_in_keep_dense_is_refused_as_the_default_already_holds_it()
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(SmallProblem.TrainedNetwork());

        var e = Assert.Throws<CompressionException>(() => LearningCompression.CheckRequest(layers, new LcOptions { KeepDense = ["fc2"] }));

        Assert.Equal("--keep-dense names fc2, the classifier, which stays dense by default; drop it from --keep-dense.", e.Message);
    }

    [Fact]
    public void Compress_classifier_is_refused_where_it_would_change_nothing_or_contradict_keep_dense()
    {
        IReadOnlyList<CompressibleLayer> mlp = CompressibleLayer.Find(SmallProblem.TrainedNetwork());
        var contradiction = Assert.Throws<CompressionException>(() =>
            LearningCompression.CheckRequest(mlp, new LcOptions { KeepDense = ["fc2"], CompressClassifier = true }));
        Assert.Equal("--keep-dense names the classifier fc2, which --compress-classifier lets the C step factorize; give one of the two.", contradiction.Message);

        var convolutional = new Network("conv-only", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3)), new Relu("relu1"),
            new Conv2d("conv2", 8, 10, new ConvolutionGeometry(6)), new Flatten("flatten"),
        ], maxBatch: 4);
        var nothing = Assert.Throws<CompressionException>(() =>
            LearningCompression.CheckRequest(CompressibleLayer.Find(convolutional), new LcOptions { CompressClassifier = true }));
        Assert.StartsWith("--compress-classifier lets the C step factorize the classifier, but the last weight layer, conv2, is a convolution", nothing.Message);
    }
}
