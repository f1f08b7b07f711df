using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Tests.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>Batch norm in the LC loop: its γ and β train in the L steps like biases and are no candidates; a factorized
/// convolution keeps its norm after it, which the export folds into the second factor with the final running statistics;
/// a checkpoint keeps the running statistics.</summary>
public sealed class BatchNormCompressionTests
{
    /// <summary>conv 3×3 → 8 (no bias), BN, ReLU, conv 3×3 (no bias), BN, ReLU, global average pool, dense 10, on the 8×8 small problem.</summary>
    internal static Network TrainedNetwork()
    {
        var network = new Network("bn", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv1", 1, 8, new ConvolutionGeometry(3, 1, 1), hasBias: false), new BatchNorm2d("bn1", 8), new Relu("relu1"),
            new Conv2d("conv2", 8, 8, new ConvolutionGeometry(3, 1, 1), hasBias: false), new BatchNorm2d("bn2", 8), new Relu("relu2"),
            new AvgPool2d("pool", 8, 8), new Flatten("flatten"),
            new Dense("fc", 8, 10),
        ], maxBatch: 64);
        return SmallProblem.Trained(network, epochs: 3);
    }

    private static readonly LcOptions Options = SmallProblem.Options(FactorizationMethod.Cur, 0) with { Steps = 4, TargetRatio = 2, MaxRelativeError = 0.95 };

    [Fact]
    public void The_candidates_are_the_weight_matrices_and_not_the_norms() =>
        Assert.Equal(["conv1", "conv2", "fc"], CompressibleLayer.Find(TrainedNetwork()).Select(l => l.Layer.Name));

    [Fact]
    public void A_factorized_convolution_keeps_its_norm_and_the_export_folds_the_final_running_statistics()
    {
        Network network = TrainedNetwork();
        float[] referenceMean = [.. ((BatchNorm2d)network.Layers[4]).RunningMean];

        LcResult result = LearningCompression.Run(network, SmallProblem.Data, Options);

        IReadOnlyList<TrainingLayer> layers = result.Network.Layers;
        Assert.Contains(layers, l => l is FactorizedLayer { First: Conv2d });
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] is FactorizedLayer { First: Conv2d }) Assert.IsType<BatchNorm2d>(layers[i + 1]);
        // The L steps and the fine-tune trained in training mode: the norms' statistics followed the changing weights.
        Assert.NotEqual(referenceMean, ((BatchNorm2d)layers[4]).RunningMean);
        // The runtime session on the folded export computes what the compressed network computes in evaluation mode.
        using Model model = ResidualCompressionTests.ExportedAsTrained(result.Network);
        Assert.DoesNotContain(model.Layers, l => l.GetType().Name.Contains("Norm", StringComparison.Ordinal));
    }

    [Fact]
    public void A_killed_run_resumes_to_the_same_weights_and_running_statistics()
    {
        static float[][] State(LcResult result) => [.. result.Network.Parameters.Select(p => p.Value.ToArray()),
            .. result.Network.Layers.OfType<BatchNorm2d>().SelectMany(n => new[] { n.RunningMean.ToArray(), n.RunningVariance.ToArray() })];
        float[][] uninterrupted = State(LearningCompression.Run(TrainedNetwork(), SmallProblem.Data, Options));

        using var folder = new TempDirectory();
        using var kill = new CancellationTokenSource();
        var killer = new CheckpointResumeTests.CallbackProgress(r => { if (r.Step == 1) kill.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LearningCompression.Run(TrainedNetwork(), SmallProblem.Data, Options, folder.Path, resumeFrom: null, killer, kill.Token));
        float[][] resumed = State(LearningCompression.Run(TrainedNetwork(), SmallProblem.Data, Options, folder.Path, LearningCompression.Read(folder.Path)));

        Assert.Equal(uninterrupted.Length, resumed.Length);
        for (int i = 0; i < resumed.Length; i++) Assert.Equal(uninterrupted[i], resumed[i]);
    }
}
