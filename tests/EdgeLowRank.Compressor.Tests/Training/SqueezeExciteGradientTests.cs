using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// MobileNetV3's and EfficientNet's pieces against finite differences: the hard swish, hard sigmoid and SiLU alone (and the
/// hard swish's and hard sigmoid's slopes at their kinks, PyTorch's), the channel scale alone on images and vectors (the gate's
/// gradient summed over the pixels, the source's added to an earlier sum), and squeeze-and-excitation blocks in small networks,
/// where the scaled activation's gradient is what the pooling sends back plus the scale's share.
/// </summary>
public sealed class SqueezeExciteGradientTests
{
    /// <summary>Values 0.1 apart from −5.95 to 5.95: a sixth beyond each of ±3, none within a step of 1e-2 of a kink (±3 for the
    /// hard swish and PyTorch's hard sigmoid, ±2.5 for α = 0.2).</summary>
    private static float[] AcrossTheKinks(int count, ulong seed) =>
        GradientCheck.WellSeparated(new SeededRandom(seed), count).Select(v => v * 2).ToArray();

    [Fact]
    public void HardSwish() => GradientCheck.Verify(new HardSwish("hswish"), new TensorShape(40), batch: 3, AcrossTheKinks(120, 21));

    [Theory]
    [InlineData(HardSigmoidLayer.PyTorchAlpha, HardSigmoidLayer.PyTorchBeta)]
    [InlineData(0.2f, 0.5f)] // ONNX's default
    public void HardSigmoid(float alpha, float beta) =>
        GradientCheck.Verify(new HardSigmoid("hsigmoid", alpha, beta), new TensorShape(2, 3, 10), batch: 2, AcrossTheKinks(120, 22));

    /// <summary>Not squeeze-and-excitation's, but an activation of the same kind (format 1.12, for imported networks): values
    /// 0.05 or more from its kink at 0, slopes of PyTorch's default and of a negative one.</summary>
    [Theory]
    [InlineData(0.01f)]
    [InlineData(-0.5f)]
    public void LeakyRelu(float alpha) =>
        GradientCheck.Verify(new LeakyRelu("leakyrelu", alpha), new TensorShape(3, 13), batch: 3, AcrossTheKinks(117, 24));

    [Fact]
    public void TheLeakyRelusSlopeIsAlphaAtZeroAsPyTorchsInTheVectorLoopAndTheTail()
    {
        // 19 values: two 8-lane vectors (or four 4-lane ones) and a tail of 3, zero in the first vector and in the tail.
        float[] x = [.. Enumerable.Range(0, 19).Select(i => (i % 9 == 0) ? 0f : i % 2 == 0 ? i : -i)];
        var layer = new LeakyRelu("leakyrelu", 0.25f);
        layer.Bind(new TensorShape(19), maxBatch: 1);
        float[] y = new float[19], dx = new float[19];
        layer.Forward(x, y, 1, ComputeThreads.Single);
        layer.Backward(x, y, [.. Enumerable.Repeat(1f, 19)], dx, 1, ComputeThreads.Single);
        Assert.Equal(x.Select(v => v > 0 ? 1f : 0.25f), dx);
    }

    [Fact]
    public void Silu() => GradientCheck.Verify(new Silu("silu"), new TensorShape(3, 4, 5), batch: 2, GradientCheck.Uniform(new SeededRandom(23), 120, 6));

    /// <summary>x, and the slope PyTorch's CPU kernel gives there: 0 below −3, x/3 + 1/2 from −3 (included) to 3 (excluded), 1 from 3.</summary>
    public static TheoryData<float, float> HardSwishSlopes => new()
    {
        { -4f, 0f }, { -3f, -0.5f }, { -1.5f, 0f }, { 0f, 0.5f }, { 1.5f, 1f }, { MathF.BitDecrement(3f), MathF.BitDecrement(3f) / 3 + 0.5f }, { 3f, 1f }, { 5f, 1f },
    };

    [Theory]
    [MemberData(nameof(HardSwishSlopes))]
    public void TheHardSwishsSlopeIsPyTorchsAtTheKinksInTheVectorLoopAndTheTail(float x, float slope)
    {
        // 19 copies: whole vectors of every width and a scalar tail, which must agree.
        const int n = 19;
        var layer = new HardSwish("hswish");
        layer.Bind(new TensorShape(n), maxBatch: 1);
        float[] input = Enumerable.Repeat(x, n).ToArray(), y = new float[n], dx = new float[n];
        layer.Forward(input, y, 1, ComputeThreads.Single);
        layer.Backward(input, y, Enumerable.Repeat(2f, n).ToArray(), dx, 1, ComputeThreads.Single);
        Assert.All(dx, d => Assert.Equal(2 * slope, d));
    }

    [Fact]
    public void TheHardSigmoidPassesAlphaInsideAndNothingWhereItClamps()
    {
        var layer = new HardSigmoid("hsigmoid");
        layer.Bind(new TensorShape(5), maxBatch: 1);
        float[] x = [-4, -3, 0, 3, 4], y = new float[5], dx = new float[5];
        layer.Forward(x, y, 1, ComputeThreads.Single);
        layer.Backward(x, y, [1, 1, 1, 1, 1], dx, 1, ComputeThreads.Single);
        Assert.Equal([0f, 0f, 0.5f, 1f, 1f], y);
        Assert.Equal([0f, 0f, HardSigmoidLayer.PyTorchAlpha, 0f, 0f], dx);
    }

    public static TheoryData<int[], int[]> Scales => new()
    {
        { [4, 3, 5], [5] },
        { [4, 3, 9], [1, 1, 9] },
        { [6], [6] },
    };

    [Theory]
    [MemberData(nameof(Scales))]
    public void TheScaleMultipliesEachChannelAndSumsTheGatesGradientOverThePixels(int[] sourceDims, int[] gateDims)
    {
        const int batch = 3;
        TensorShape sourceShape = new(sourceDims), gateShape = new(gateDims);
        var layer = new ChannelScale("scale", source: 0);
        Assert.Equal(sourceShape, layer.Bind([sourceShape, gateShape], batch));
        int c = sourceDims[^1];

        var random = new SeededRandom(32);
        float[] gate = GradientCheck.Uniform(random, batch * c, 1), source = GradientCheck.Uniform(random, batch * sourceShape.ElementCount, 1);
        float[] y = new float[source.Length], r = GradientCheck.Uniform(random, y.Length, 1);
        float[] earlier = GradientCheck.Uniform(random, source.Length, 1);
        float[] dx = GradientCheck.Uniform(random, gate.Length, 1), da = (float[])earlier.Clone(); // dx's old values must go

        layer.Forward(gate, source, y, batch);
        // The last pixel of the last sample, by hand: its channels times the last sample's gate.
        Assert.Equal(source[^c..].Select((a, k) => a * gate[^c..][k]), y[^c..]);

        layer.Backward(gate, source, r, dx, da, batch);
        double Loss()
        {
            layer.Forward(gate, source, y, batch);
            return y.Select((v, i) => (double)v * r[i]).Sum();
        }
        GradientCheck.Compare("gate", gate, dx, Loss, random);
        GradientCheck.Compare("source", source, da.Select((v, i) => v - earlier[i]).ToArray(), Loss, random);
    }

    [Fact]
    public void WithoutASourceGradientOnlyTheGateGetsOne()
    {
        // Two pixels of two channels: the gate's gradient is Σ g·a over both.
        var layer = new ChannelScale("scale", source: 0);
        layer.Bind([new TensorShape(1, 2, 2), new TensorShape(2)], 1);
        float[] dx = new float[2];
        layer.Backward(input: [5, 7], source: [1, 2, 3, 4], outputGradient: [1, 1, 2, 3], dx, sourceGradient: null, batch: 1);
        Assert.Equal([1f * 1 + 2 * 3, 1f * 2 + 3 * 4], dx);
    }

    /// <summary>A squeeze-and-excitation block on activation <paramref name="scaled"/> of <paramref name="channels"/> channels on
    /// the 5×5 image: global average, 1×1 to <paramref name="squeeze"/>, ReLU, 1×1 back, the gate, the scale.</summary>
    private static TrainingLayer[] SqueezeExcite(int scaled, int channels, int squeeze, string id, TrainingLayer gate) =>
    [
        new AvgPool2d($"{id}pool", 5, 5),
        Pointwise($"{id}reduce", channels, squeeze), new Relu($"{id}relu"),
        Pointwise($"{id}expand", squeeze, channels), gate,
        new ChannelScale($"{id}scale", source: scaled),
    ];

    [Fact]
    public void ASqueezeAndExcitationBlock() => VerifyGradients(
    [
        Conv("conv1", 2, 4), new HardSwish("hswish1"),                     // activation 2: scaled
        .. SqueezeExcite(scaled: 2, channels: 4, squeeze: 2, "se", new HardSigmoid("hsigmoid")),
        Conv("conv2", 4, 3),
    ], Image, features: 25 * 3, inputScale: 4);

    [Fact]
    public void AnInvertedResidualBlockWithSqueezeAndExcitation() => VerifyGradients(
    [
        Conv("conv1", 2, 4), new HardSwish("hswish1"),                     // activation 2: the block's input
        Pointwise("expand", 4, 6), new HardSwish("hswish2"),
        new DepthwiseConv2d("dw", 6, new ConvolutionGeometry(3, 1, 1)), new HardSwish("hswish3"), // activation 6: scaled
        .. SqueezeExcite(scaled: 6, channels: 6, squeeze: 2, "se", new HardSigmoid("hsigmoid")),
        Pointwise("project", 6, 4),
        new ResidualAdd("add", source: 2),
    ], Image, features: 25 * 4, inputScale: 8);

    [Fact]
    public void AnEfficientNetBlockWithSiluAndASigmoidGate() => VerifyGradients(
    [
        Conv("conv1", 2, 4), new Silu("silu1"),                            // activation 2: the block's input
        new DepthwiseConv2d("dw", 4, new ConvolutionGeometry(3, 1, 1)), new Silu("silu2"), // activation 4: scaled
        .. SqueezeExcite(scaled: 4, channels: 4, squeeze: 2, "se", new Sigmoid("sigmoid")),
        Pointwise("project", 4, 4),
        new ResidualAdd("add", source: 2),
    ], Image, features: 25 * 4, inputScale: 4);

    [Fact]
    public void AScaleOfVectorsAndAScaleThatEndsABranch()
    {
        // A gate from dense layers scaling a flattened image's features; then a branch back to an earlier image, whose path
        // computes the gate of the image it left and ends in the scale.
        VerifyGradients(
        [
            Conv("conv1", 2, 1), new HardSwish("hswish1"), new Flatten("flat"),                   // activation 3: 25 features
            new Dense("fc1", 25, 25), new HardSigmoid("gate1"), new ChannelScale("scale1", source: 3),
        ], Image, features: 25);
        VerifyGradients(
        [
            Conv("conv1", 2, 3), new HardSwish("hswish1"),                                        // activation 2
            Conv("conv2", 3, 3),                                                                  // activation 3: scaled
            new ShortcutBranch("branch", source: 2),
            new AvgPool2d("pool", 5, 5), Pointwise("gate", 3, 3), new HardSigmoid("hsigmoid"), new ChannelScale("scale", source: 3),
        ], Image, features: 25 * 3);
    }

    [Fact]
    public void ShardsOfASqueezeAndExcitationBlockComputeTheWholeBatchsGradients() =>
        // Each shard has replicas of the layers: the source, the gate's slope and offset must survive Replicate.
        ShardedStepTests.AssertTwoShardsComputeTheWholeBatchsGradients(
        [
            Pointwise("conv1", 1, 4), new HardSwish("hswish1"),
            new AvgPool2d("pool", 8, 8), Pointwise("reduce", 4, 2), new Silu("silu"), Pointwise("expand", 2, 4),
            new HardSigmoid("hsigmoid", 0.2f, 0.4f), new ChannelScale("scale", source: 2),
            new Flatten("flatten"), new Dense("fc", 8 * 8 * 4, 10),
        ]);

    [Fact]
    public void ForwardAndBackwardAllocateNothing()
    {
        // A step of each layer on one thread, after a first one (the JIT's own allocations), allocates nothing: every buffer is the chain's.
        const int batch = 4;
        var image = new TensorShape(7, 7, 24);
        float[] x = GradientCheck.Uniform(new SeededRandom(41), batch * image.ElementCount, 4), y = new float[x.Length], g = (float[])x.Clone(), dx = new float[x.Length];
        var scale = new ChannelScale("scale", source: 0);
        scale.Bind([image, new TensorShape(24)], batch);
        float[] gate = x[..(batch * 24)], dgate = new float[gate.Length];
        TrainingLayer[] activations = [new HardSwish("hswish"), new HardSigmoid("hsigmoid"), new Silu("silu")];
        foreach (TrainingLayer layer in activations) layer.Bind(image, batch);
        void Step()
        {
            foreach (TrainingLayer layer in activations)
            {
                layer.Forward(x, y, batch, ComputeThreads.Single);
                layer.Backward(x, y, g, dx, batch, ComputeThreads.Single);
            }
            scale.Forward(gate, x, y, batch);
            scale.Backward(gate, x, g, dgate, dx, batch);
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheScaleCannotRunWithoutTheChain()
    {
        var layer = new ChannelScale("scale1", source: 2);
        Assert.Contains("scale1 scales activation 2 by its input; run it through a Network",
            Assert.Throws<InvalidOperationException>(() => layer.Forward(new float[50], new float[50], 1, ComputeThreads.Single)).Message);
        Assert.Contains("only the chain knows", Assert.Throws<InvalidOperationException>(() => layer.Bind(Image, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelScale("scale1", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardSigmoid("hsigmoid", float.NaN));
    }

    [Fact]
    public void BindRefusesAGateThatIsNotOneValuePerChannelAndASourceThatIsNotEarlier()
    {
        var size = Assert.Throws<ArgumentException>(() => Build(
            [Conv("conv1", 2, 4), new AvgPool2d("pool", 5, 5), Pointwise("gate", 4, 2), new ChannelScale("scale1", source: 1)], Image, features: 100));
        Assert.Contains("layer 3 (scale1): it scales activation 1 (5×5×4) by its input (1×1×2); the input must hold one value per channel of it", size.Message);
        var late = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 2), new ChannelScale("scale1", source: 1)], Image, features: 50));
        Assert.Contains("layer 1 (scale1): it scales activation 1, but only activations 0 (the model's input) to 0 come before its own input", late.Message);
    }
}
