using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// The residual connection's backward pass against finite differences: the layer alone (its input and its source), and small
/// networks where the skip's gradient must reach the right activation at the right time (a source several layers back, one
/// source read by two skips, a skip whose output is the next skip's source, a source at or before the first trainable layer).
/// </summary>
public sealed class ResidualGradientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheLayerSendsItsOutputGradientToItsInputAndAddsItToTheSource(bool fusedRelu)
    {
        const int batch = 3;
        var layer = new ResidualAdd("add", source: 0, fusedRelu);
        layer.Bind(Image, batch);
        var random = new SeededRandom(21);
        int n = batch * Image.ElementCount;
        // Sums at least 0.015 from zero, so no step of 1e-2 in either operand crosses the fused ReLU's kink.
        float[] x = GradientCheck.WellSeparated(random, n), a = GradientCheck.Uniform(random, n, 0.01f);
        float[] r = GradientCheck.Uniform(random, n, 1), y = new float[n];
        float[] earlier = GradientCheck.Uniform(random, n, 1);
        float[] dx = new float[n], da = (float[])earlier.Clone();

        layer.Forward(x, a, y, batch);
        layer.Backward(y, r, dx, da, batch);

        double Loss()
        {
            layer.Forward(x, a, y, batch);
            return y.Select((v, i) => (double)v * r[i]).Sum();
        }
        GradientCheck.Compare("input", x, dx, Loss, random);
        GradientCheck.Compare("source", a, da.Select((v, i) => v - earlier[i]).ToArray(), Loss, random);
        if (fusedRelu) Assert.Contains(0f, dx); // the mask was applied somewhere, so the check above covered it
    }

    [Fact]
    public void TheLayerCannotRunWithoutItsSource()
    {
        var layer = new ResidualAdd("add1", source: 2);
        layer.Bind(Image, 1);
        var e = Assert.Throws<InvalidOperationException>(() => layer.Forward(new float[50], new float[50], 1, ComputeThreads.Single));
        Assert.Contains("add1 adds activation 2", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASourceSeveralLayersBack(bool fusedRelu) => VerifyGradients(
    [
        Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2), new Relu("relu2"), Conv("conv3", 2, 2),
        new ResidualAdd("add1", source: 1, fusedRelu), // conv1's output, before its ReLU
    ], Image, features: 50);

    [Fact]
    public void TwoSkipsShareOneSource() => VerifyGradients(
    [
        Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2),
        new ResidualAdd("add1", source: 2), Conv("conv3", 2, 2),
        new ResidualAdd("add2", source: 2, fusedRelu: true),
    ], Image, features: 50);

    [Fact]
    public void ASkipsOutputIsTheNextSkipsSource() => VerifyGradients(
    [
        Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2),
        new ResidualAdd("add1", source: 2, fusedRelu: true), Conv("conv3", 2, 2), new Relu("relu2"), Conv("conv4", 2, 2),
        new ResidualAdd("add2", source: 4, fusedRelu: true),
    ], Image, features: 50);

    [Fact]
    public void ASkipFromTheNetworkInput() => VerifyGradients(
    [
        Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2), new ResidualAdd("add1", source: 0, fusedRelu: true),
    ], Image, features: 50);

    [Fact]
    public void ASkipFromTheFirstTrainableLayersInput()
    {
        // The pool has no parameters, so the backward pass ends at conv1 and needs no gradient of the pool's output.
        var layers = new TrainingLayer[] { new MaxPool2d("pool1", 2, 1), Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2), new ResidualAdd("add1", source: 1) };
        VerifyGradients(layers, new TensorShape(6, 6, 2), features: 50);
    }

    [Fact]
    public void BindRefusesASourceThatIsNotEarlier()
    {
        var e = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 2), new ResidualAdd("add1", source: 1)], Image, features: 50));
        Assert.Contains("layer 1 (add1): it adds activation 1", e.Message);
        Assert.Contains("only activations 0 (the network's input) to 0 come before its own input", e.Message);
    }

    [Fact]
    public void BindRefusesASourceOfAnotherShape()
    {
        var e = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 3), new ResidualAdd("add1", source: 0)], Image, features: 75));
        Assert.Contains("layer 1 (add1): it adds activation 0 (the network's input, 5×5×2) to its input (5×5×3); the two must have the same shape", e.Message);
    }

    [Fact]
    public void ReplacingALayerThatWouldBreakASkipLeavesTheNetworkUnchanged()
    {
        Network network = Build([Conv("conv1", 2, 2), new Relu("relu1"), Conv("conv2", 2, 2), new ResidualAdd("add1", source: 1)], Image, features: 50);
        TrainingLayer before = network.Layers[2];
        Assert.Throws<ArgumentException>(() => network.Replace(2, Conv("conv2", 2, 3)));
        Assert.Same(before, network.Layers[2]);
        network.Replace(2, FactorizedLayer.Conv("conv2", 2, 1, 2, new ConvolutionGeometry(3, 1, 1), FactorizationMethod.Svd));
        Assert.IsType<FactorizedLayer>(network.Layers[2]);
    }
}
