using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Compressor.Tests.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>What <c>elr compress</c> refuses before any work: the words of its command line and a network or data set that cannot be compressed.</summary>
public sealed class ValidationTests
{
    [Theory]
    [InlineData("pca", "qdeim", "storage", 1e-5, null, "--method")]
    [InlineData("cur", "random", "storage", 1e-5, null, "--selection")]
    [InlineData("cur", "qdeim", "latency", 1e-5, null, "--criterion")]
    [InlineData("svd", "qdeim", "storage", -1.0, null, "--lambda")]
    [InlineData("svd", "qdeim", "storage", 1e-5, 10.0, "exactly one")]
    [InlineData("svd", "qdeim", "storage", null, null, "exactly one")]
    [InlineData("svd", "qdeim", "storage", null, 0.5, "--target-ratio")]
    public void BadWordsAreRefusedByName(string method, string selection, string criterion, double? lambda, double? ratio, string named)
    {
        var e = Assert.Throws<CompressionException>(() => CompressionArguments.Parse(method, selection, 2, criterion, lambda, ratio));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void GoodWordsGiveTheirOptions()
    {
        LcOptions options = CompressionArguments.Parse("SVD", "deim", 3, "flops", null, 8);
        Assert.Equal((FactorizationMethod.Svd, EdgeLowRank.Compressor.Factorization.CurSelection.Deim, 3.0, CostCriterion.Flops, 8.0),
            (options.Method, options.Cur.Selection, options.Cur.Oversampling, options.Criterion, options.TargetRatio!.Value));
    }

    [Fact]
    public void BadNumbersAreRefused()
    {
        Assert.Throws<CompressionException>(() => new LcOptions { Steps = 0 }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { Mu0 = -1 }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { MaxRelativeError = 1 }.Validate());
        Assert.Throws<CompressionException>(() => new LcOptions { Cur = new(Oversampling: 0.5) }.Validate());
        Assert.Contains("--validation", Assert.Throws<CompressionException>(() => new LcOptions { ValidationShare = 1 }.Validate()).Message);
        Assert.Throws<CompressionException>(() => new LcOptions { ValidationShare = double.NaN }.Validate());
    }

    [Fact]
    public void ANetworkWithoutWeightMatricesIsRefused()
    {
        var network = new Network("none", new TensorShape(4), [new Relu("relu")]);
        var e = Assert.Throws<CompressionException>(() => CompressibleLayer.Find(network));
        Assert.Contains("no dense or convolution layer", e.Message);
    }

    [Fact]
    public void DataOfAnotherShapeIsRefusedBeforeAnyWork()
    {
        var data = new EdgeLowRank.Compressor.Data.DatasetParts(SyntheticData.Images(16, 1), SyntheticData.Images(16, 2));
        var e = Assert.Throws<CompressionException>(() => LearningCompression.Run(SmallProblem.TrainedNetwork(), data, new LcOptions()));
        Assert.Contains("takes inputs of", e.Message);
    }
}
