using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// The channel concatenation against finite differences: the layer alone in both orders on images and vectors (the output
/// gradient's channels split back to the input, and added to the source's earlier sum), and small networks where the source's
/// share must reach the right activation: Fire modules (a branch back to the squeeze output, whose gradient then also comes from
/// the first expand), a concatenation of the network's input, one source read by two concatenations.
/// </summary>
public sealed class ConcatGradientTests
{
    public static TheoryData<bool, int[], int[]> Shapes => new()
    {
        { false, [4, 3, 2], [4, 3, 3] },
        { true, [4, 3, 2], [4, 3, 3] },
        { false, [5], [7] },
        { true, [5], [7] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheLayerStacksChannelsAndSplitsTheGradientBack(bool inputFirst, int[] sourceDims, int[] inputDims)
    {
        const int batch = 3;
        TensorShape sourceShape = new(sourceDims), inputShape = new(inputDims);
        var layer = new ChannelConcat("concat", source: 0, inputFirst);
        TensorShape output = layer.Bind([sourceShape, inputShape], batch);
        int a = sourceDims[^1], x = inputDims[^1];
        Assert.Equal([.. inputDims[..^1], a + x], output.Dimensions.ToArray());

        var random = new SeededRandom(31);
        float[] input = GradientCheck.Uniform(random, batch * inputShape.ElementCount, 1);
        float[] source = GradientCheck.Uniform(random, batch * sourceShape.ElementCount, 1);
        float[] y = new float[batch * output.ElementCount], r = GradientCheck.Uniform(random, y.Length, 1);
        float[] earlier = GradientCheck.Uniform(random, source.Length, 1);
        float[] dx = GradientCheck.Uniform(random, input.Length, 1), da = (float[])earlier.Clone(); // dx's old values must go

        layer.Forward(input, source, y, batch);
        // The last pixel of the last sample, by hand: its channels in the layer's order.
        int pixels = input.Length / x;
        float[] expected = inputFirst ? [.. input[^x..], .. source[^a..]] : [.. source[^a..], .. input[^x..]];
        Assert.Equal(expected, y[^(a + x)..]);
        Assert.Equal(pixels * (a + x), y.Length);

        layer.Backward(r, dx, da, batch);
        double Loss()
        {
            layer.Forward(input, source, y, batch);
            return y.Select((v, i) => (double)v * r[i]).Sum();
        }
        GradientCheck.Compare("input", input, dx, Loss, random);
        GradientCheck.Compare("source", source, da.Select((v, i) => v - earlier[i]).ToArray(), Loss, random);
    }

    [Fact]
    public void WithoutASourceGradientOnlyTheInputGetsOne()
    {
        var layer = new ChannelConcat("concat", source: 0);
        layer.Bind([new TensorShape(2), new TensorShape(3)], 1);
        float[] dx = new float[3];
        layer.Backward([1, 2, 3, 4, 5], dx, sourceGradient: null, batch: 1);
        Assert.Equal([3f, 4, 5], dx);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFireModule(bool inputFirst) => VerifyGradients(
    [
        Conv("conv1", 2, 4), new Relu("relu1"),                                // activation 2: the module's input
        Squeeze("squeeze", 4, 2), new Relu("relu2"),                           // activation 4: the squeeze output
        Squeeze("expand1", 2, 3), new Relu("relu3"),                           // activation 6: the first expand's output
        new ShortcutBranch("branch1", source: 4), Conv("expand3", 2, 3), new Relu("relu4"),
        new ChannelConcat("concat1", source: 6, inputFirst),
    ], Image, features: 25 * 6);

    [Fact]
    public void TwoFireModulesInARow() => VerifyGradients(
    [
        Squeeze("squeeze1", 2, 2), new Relu("relu1"),                          // activation 2
        Squeeze("expand1", 2, 2), new Relu("relu2"),                           // activation 4
        new ShortcutBranch("branch1", source: 2), Conv("expand2", 2, 2), new Relu("relu3"),
        new ChannelConcat("concat1", source: 4),                               // activation 8: 4 channels
        Squeeze("squeeze2", 4, 2), new Relu("relu4"),                          // activation 10
        Squeeze("expand3", 2, 2), new Relu("relu5"),                           // activation 12
        new ShortcutBranch("branch2", source: 10), Conv("expand4", 2, 3), new Relu("relu6"),
        new ChannelConcat("concat2", source: 12, inputFirst: true),
    ], Image, features: 25 * 5);

    [Fact]
    public void AConcatenationOfTheNetworksInput() => VerifyGradients(
    [
        Conv("conv1", 2, 3), new Relu("relu1"), new ChannelConcat("concat1", source: 0), Conv("conv2", 5, 2),
    ], Image, features: 50);

    [Fact]
    public void OneSourceReadByTwoConcatenations() => VerifyGradients(
    [
        Conv("conv1", 2, 2), new Relu("relu1"),                                // activation 2
        Conv("conv2", 2, 2), new ChannelConcat("concat1", source: 2),          // activation 4: 4 channels
        Conv("conv3", 4, 2), new ChannelConcat("concat2", source: 2, inputFirst: true),
    ], Image, features: 100);

    [Fact]
    public void AConcatenationOfVectors()
    {
        // Features after a flatten, joined to a dense layer's output, then the classifier.
        var layers = new TrainingLayer[] { Conv("conv1", 2, 1), new Flatten("flat"), new Dense("fc1", 25, 6), new Relu("relu1"), new ChannelConcat("concat1", source: 2) };
        VerifyGradients(layers, Image, features: 31);
    }

    [Fact]
    public void ShardsOfAnInputFirstFireModuleComputeTheWholeBatchsGradients() =>
        // Each shard has replicas of the layers: the order must survive Replicate.
        ShardedStepTests.AssertTwoShardsComputeTheWholeBatchsGradients(
        [
            Squeeze("squeeze", 1, 4), new Relu("relu1"), Squeeze("expand1", 4, 3), new Relu("relu2"),
            new ShortcutBranch("branch1", source: 2), Conv("expand3", 4, 2), new Relu("relu3"),
            new ChannelConcat("concat1", source: 4, inputFirst: true), new Flatten("flatten"), new Dense("fc", 8 * 8 * 5, 10),
        ]);

    [Fact]
    public void TheLayerCannotRunWithoutTheChain()
    {
        var layer = new ChannelConcat("concat1", source: 2);
        Assert.Contains("concat1 stacks activation 2 onto its input; run it through a Network",
            Assert.Throws<InvalidOperationException>(() => layer.Forward(new float[50], new float[50], 1, ComputeThreads.Single)).Message);
        Assert.Contains("only the chain knows", Assert.Throws<InvalidOperationException>(() => layer.Bind(Image, 1)).Message);
    }

    [Fact]
    public void BindRefusesASourceThatIsNotEarlier()
    {
        var e = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 2), new ChannelConcat("concat1", source: 1)], Image, features: 100));
        Assert.Contains("layer 1 (concat1): it joins activation 1 to its input, but only activations 0 (the model's input) to 0 come before its own input", e.Message);
    }

    [Fact]
    public void BindRefusesASourceOfAnotherSize()
    {
        var e = Assert.Throws<ArgumentException>(() => Build([new MaxPool2d("pool1", 2, 1), new ChannelConcat("concat1", source: 0)], Image, features: 64));
        Assert.Contains("layer 1 (concat1): it joins activation 0 (5×5×2) to its input (4×4×2); a Concat stacks channels, "
            + "so the two must agree in every dimension but the last", e.Message);
    }

    [Fact]
    public void AConcatenationEndsABranch()
    {
        // The branch's input (activation 2) is read by the concatenation, so it is no dead end.
        Network network = Build([Conv("conv1", 2, 2), new Relu("relu1"), new ShortcutBranch("branch1", source: 0), new ChannelConcat("concat1", source: 2)], Image, features: 100);
        Assert.Equal(new TensorShape(5, 5, 4), network.InputShapeOf(4));
    }

    private static Conv2d Squeeze(string name, int inputs, int outputs) => new(name, inputs, outputs, new ConvolutionGeometry(1));
}
