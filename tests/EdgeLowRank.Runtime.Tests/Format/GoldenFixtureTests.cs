using EdgeLowRank.FixtureGenerator;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>The golden files: every later reader must still read every released version, and what it reads
/// must reproduce the outputs the generator's independent float64 forward pass recorded.</summary>
public sealed class GoldenFixtureTests
{
    public static TheoryData<string> All => new(Fixtures.All);

    public static TheoryData<string> Current => new(Fixtures.Names);

    public static TheoryData<string> Released1_0 => new(Fixtures.Release1_0);

    public static TheoryData<string> Released1_1 => new(Fixtures.Release1_1);

    public static TheoryData<string> Released1_2 => new(Fixtures.Release1_2);

    public static TheoryData<string> Released1_3 => new(Fixtures.Release1_3);

    public static TheoryData<string> Released1_4 => new(Fixtures.Release1_4);

    public static TheoryData<string> Released1_5 => new(Fixtures.Release1_5);

    public static TheoryData<string> Released1_6 => new(Fixtures.Release1_6);

    public static TheoryData<string> Released1_7 => new(Fixtures.Release1_7);

    public static TheoryData<string> Released1_8 => new(Fixtures.Release1_8);

    public static TheoryData<string> Released1_9 => new(Fixtures.Release1_9);
    public static TheoryData<string> Released1_10 => new(Fixtures.Release1_10);

    public static TheoryData<string> Released1_11 => new(Fixtures.Release1_11);

    public static TheoryData<string> Released1_12 => new(Fixtures.Release1_12);

    [Theory, MemberData(nameof(Released1_0))]
    public void ReleasedFilesAreFormat1_0(string name) => Assert.Equal((1, 0), Version(name));

    [Theory, MemberData(nameof(Released1_1))]
    public void ReleasedFilesAreFormat1_1(string name) => Assert.Equal((1, 1), Version(name));

    [Theory, MemberData(nameof(Released1_2))]
    public void ReleasedFilesAreFormat1_2(string name) => Assert.Equal((1, 2), Version(name));

    [Theory, MemberData(nameof(Released1_3))]
    public void ReleasedFilesAreFormat1_3(string name) => Assert.Equal((1, 3), Version(name));

    [Theory, MemberData(nameof(Released1_4))]
    public void ReleasedFilesAreFormat1_4(string name) => Assert.Equal((1, 4), Version(name));

    [Theory, MemberData(nameof(Released1_5))]
    public void ReleasedFilesAreFormat1_5(string name) => Assert.Equal((1, 5), Version(name));

    [Theory, MemberData(nameof(Released1_6))]
    public void ReleasedFilesAreFormat1_6(string name) => Assert.Equal((1, 6), Version(name));

    [Theory, MemberData(nameof(Released1_7))]
    public void ReleasedFilesAreFormat1_7(string name) => Assert.Equal((1, 7), Version(name));

    [Theory, MemberData(nameof(Released1_8))]
    public void ReleasedFilesAreFormat1_8(string name) => Assert.Equal((1, 8), Version(name));

    [Theory, MemberData(nameof(Released1_9))]
    public void ReleasedFilesAreFormat1_9(string name) => Assert.Equal((1, 9), Version(name));

    [Theory, MemberData(nameof(Released1_10))]
    public void ReleasedFilesAreFormat1_10(string name) => Assert.Equal((1, 10), Version(name));

    [Theory, MemberData(nameof(Released1_11))]
    public void ReleasedFilesAreFormat1_11(string name) => Assert.Equal((1, 11), Version(name));

    [Theory, MemberData(nameof(Released1_12))]
    public void ReleasedFilesAreFormat1_12(string name) => Assert.Equal((1, 12), Version(name));

    [Theory, MemberData(nameof(Current))]
    public void CurrentFilesAreFormat1_13(string name)
    {
        // If this fails, the writer's version moved on: copy these files to tests/fixtures/vX.Y/ (as v1.0/ to v1.12/ hold
        // those releases) and add them to Fixtures before regenerating, so later readers are still tested on them.
        Assert.Equal((1, 13), Version(name));
    }

    /// <summary>The move from 1.2 to 1.3 added int8 matrices; a file without any changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_2))]
    public void Release1_3ChangedOnlyTheMinorVersionAndTheCrcOfFloatFiles(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.3/" + Path.GetFileName(released));

    /// <summary>The move from 1.3 to 1.4 added layer kinds; every 1.3 file, int8 twins too, changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_3))]
    public void Release1_4ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.4/" + Path.GetFileName(released));

    /// <summary>The move from 1.4 to 1.5 added a layer kind; every 1.4 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_4))]
    public void Release1_5ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.5/" + Path.GetFileName(released));

    /// <summary>The move from 1.5 to 1.6 added a layer kind; every 1.5 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_5))]
    public void Release1_6ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.6/" + Path.GetFileName(released));

    /// <summary>The move from 1.6 to 1.7 added a layer kind; every 1.6 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_6))]
    public void Release1_7ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.7/" + Path.GetFileName(released));

    /// <summary>The move from 1.7 to 1.8 added layer kinds; every 1.7 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_7))]
    public void Release1_8ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.8/" + Path.GetFileName(released));

    /// <summary>The move from 1.8 to 1.9 added layer kinds; every 1.8 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_8))]
    public void Release1_9ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.9/" + Path.GetFileName(released));

    /// <summary>The move from 1.9 to 1.10 added integer products; every 1.9 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_9))]
    public void Release1_10ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.10/" + Path.GetFileName(released));

    /// <summary>The move from 1.10 to 1.11 added integer convolutions; every 1.10 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_10))]
    public void Release1_11ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.11/" + Path.GetFileName(released));

    /// <summary>The move from 1.11 to 1.12 added a layer kind; every 1.11 file changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_11))]
    public void Release1_12ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.12/" + Path.GetFileName(released));

    /// <summary>The move from 1.12 to 1.13 let windows pad each side differently, in longer layer records only where some
    /// layer does; every 1.12 file, whose windows pad alike on every side, changed only its minor version and CRC.</summary>
    [Theory, MemberData(nameof(Released1_12))]
    public void Release1_13ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, Path.GetFileName(released));

    [Fact]
    public void LeNet5Of1998HasTheDocumentedLayers()
    {
        using var model = ModelReader.Load(Fixtures.Model("lenet5-1998"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.Tanh, LayerKind.AvgPool2d, LayerKind.Conv2d, LayerKind.Tanh, LayerKind.AvgPool2d, LayerKind.Flatten,
            LayerKind.Dense, LayerKind.Tanh, LayerKind.Dense, LayerKind.Sigmoid, LayerKind.Dense, LayerKind.Softmax], model.Layers.Select(l => l.Kind));
        Assert.Equal(new ConvolutionGeometry(5, 1, 2), ((Conv2dLayer)model.Layers[0]).Geometry);
        Assert.Equal(new ConvolutionGeometry(2, 2), ((AvgPool2dLayer)model.Layers[2]).Geometry);
        Assert.Equal(new TensorShape(5, 5, 16), model.OutputShapeOf(5));
        Assert.Equal(61_706, model.ParameterCount);
        // conv1 28·28·25·6 + conv2 10·10·150·16 + 400·120 + 120·84 + 84·10 (pooling and the curves are not multiply-accumulates).
        Assert.Equal(117_600 + 240_000 + 48_000 + 10_080 + 840, model.MultiplyAccumulates);
        // Their own count: each 2×2 window of pool1 (14·14·6 outputs) and pool2 (5·5·16) reads four values.
        Assert.Equal(4 * (1_176 + 400), model.PoolingReads);
    }

    [Fact]
    public void DepthwiseSeparableHasTheDocumentedLayers()
    {
        using var model = ModelReader.Load(Fixtures.Model("depthwise-separable"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.FactorizedConv2d, LayerKind.Relu,
            LayerKind.DepthwiseConv2d, LayerKind.Relu, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        var depthwise = model.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
        Assert.Equal([3, 6, 12], depthwise.Select(d => d.Channels));
        Assert.Equal([new ConvolutionGeometry(3, 1, 1), new ConvolutionGeometry(3, 2, 1), new ConvolutionGeometry(5, 2, 2)], depthwise.Select(d => d.Geometry));
        Assert.Equal([3, 6, 0], depthwise.Select(d => d.Bias.Length));
        Assert.Equal([Activation.Relu, Activation.Relu, Activation.None], depthwise.Select(d => d.Activation));
        Assert.Equal(new TensorShape(7, 7, 12), model.OutputShapeOf(7));
        // conv1 30 + dw 30 + pw 24 + dw 60 + factorized 6·4 + 4·12 + 12 + dw 300 + dense 5,890.
        Assert.Equal(30 + 30 + 24 + 60 + 84 + 300 + 5_890, model.ParameterCount);
        // Per output pixel: conv1 27, dw 27 (28×28); pw 18 (28×28); dw 54, factorized 24 + 48 (14×14); dw 300 (7×7); dense 5,880.
        Assert.Equal(784 * (27 + 27 + 18) + 196 * (54 + 72) + 49 * 300 + 5_880, model.MultiplyAccumulates);
    }

    [Fact]
    public void ResidualBlocksHasTheDocumentedLayers()
    {
        using var model = ModelReader.Load(Fixtures.Model("residual-blocks"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.Add, LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Add,
            LayerKind.Relu, LayerKind.DepthwiseConv2d, LayerKind.FactorizedConv2d, LayerKind.Relu, LayerKind.Add, LayerKind.Add, LayerKind.AvgPool2d,
            LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Add, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        AddLayer[] adds = model.Layers.OfType<AddLayer>().ToArray();
        Assert.Equal([0, 4, 8, 10, 16], adds.Select(a => a.Source));
        Assert.Equal([Activation.Relu, Activation.None, Activation.Relu, Activation.None, Activation.None], adds.Select(a => a.Activation));
        Assert.Equal(new TensorShape(14, 14, 8), model.OutputShapeOf(9));
        // conv 10 + conv 80 + 2 convs 584 + dw 80 + factorized 8·4 + 4·8 + 8 + dense 6,288 + 272 + 170; an Add has none.
        Assert.Equal(10 + 80 + 2 * 584 + 80 + 72 + 6_288 + 272 + 170, model.ParameterCount);
        // Per output pixel: conv 9, conv 72 (28×28); 2 convs 576, dw 72, factorized 32 + 32 (14×14); dense 6,272 + 256 + 160.
        Assert.Equal(784 * (9 + 72) + 196 * (2 * 576 + 72 + 64) + 6_272 + 256 + 160, model.MultiplyAccumulates);
    }

    [Fact]
    public void ProjectionShortcutsHasTheDocumentedLayers()
    {
        using var model = ModelReader.Load(Fixtures.Model("projection-shortcuts"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Add,
            LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.FactorizedConv2d, LayerKind.Add,
            LayerKind.Branch, LayerKind.Conv2d, LayerKind.Add, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(new ConvolutionGeometry(3, 2, 1), ((MaxPool2dLayer)model.Layers[1]).Geometry); // ResNet's stem pooling
        Assert.Equal([2, 7, 0], model.Layers.OfType<BranchLayer>().Select(b => b.Source));
        Assert.Equal([4, 8, 12], model.Layers.OfType<AddLayer>().Select(a => a.Source));
        // A Branch's output is its source: the projections read the block's input (14×14×8, 7×7×16) and the model's input.
        Assert.Equal([new TensorShape(14, 14, 8), new TensorShape(7, 7, 16), new TensorShape(28, 28, 1)], new[] { 4, 8, 12 }.Select(model.OutputShapeOf));
        Assert.Equal([new ConvolutionGeometry(1, 2, 0), new ConvolutionGeometry(1, 4, 0)], new[] { 5, 13 }.Select(i => ((Conv2dLayer)model.Layers[i]).Geometry));
        // conv 80 + 1,168 + 2,320, projection 144; 1×1 408, conv 3,480, factorized 216·6 + 6·24 + 24; 1×1 48; dense 250.
        Assert.Equal(80 + 1_168 + 2_320 + 144 + 408 + 3_480 + 1_464 + 48 + 250, model.ParameterCount);
        // Per output pixel: conv 72 (28×28); then 7×7: 1,152, 2,304, 128, 384, 3,456, 1,296 + 144, 24; dense 240.
        Assert.Equal(784 * 72 + 49 * (1_152 + 2_304 + 128 + 384 + 3_456 + 1_440 + 24) + 240, model.MultiplyAccumulates);
    }

    [Fact]
    public void FireModulesHasTheDocumentedLayers()
    {
        using var model = ModelReader.Load(Fixtures.Model("fire-modules"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Concat,
            LayerKind.Conv2d, LayerKind.FactorizedConv2d, LayerKind.Relu, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Concat,
            LayerKind.Concat, LayerKind.Conv2d, LayerKind.AvgPool2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));
        Assert.Equal(["Concat ← 4", "Concat → 10", "Concat → 2"], model.Layers.OfType<ConcatLayer>().Select(c => c.Label));
        Assert.Equal([3, 8], model.Layers.OfType<BranchLayer>().Select(b => b.Source));
        // Each Fire module stacks 8 + 8 channels; the last Concat adds the stem's 12 after them.
        Assert.Equal([new TensorShape(13, 13, 16), new TensorShape(13, 13, 16), new TensorShape(13, 13, 28)], new[] { 6, 12, 13 }.Select(model.OutputShapeOf));
        // stem 120; squeeze 52, expand 40 and 296; squeeze 68, factorized 36·3 + 3·8 + 8, expand 40; classifier 290.
        Assert.Equal(120 + 52 + 40 + 296 + 68 + 140 + 40 + 290, model.ParameterCount);
        // Per output pixel: stem 108 (28×28); then 13×13: 48, 32, 288, 64, 108 + 24, 32, 280 (a Concat multiplies nothing).
        Assert.Equal(784 * 108 + 169 * (48 + 32 + 288 + 64 + 132 + 32 + 280), model.MultiplyAccumulates);
    }

    [Fact]
    public void ShuffleUnitsHasTheDocumentedLayers()
    {
        using var model = ModelReader.Load(Fixtures.Model("shuffle-units"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.DepthwiseConv2d,
            LayerKind.Conv2d, LayerKind.Concat, LayerKind.ChannelShuffle, LayerKind.ChannelSlice, LayerKind.Conv2d, LayerKind.DepthwiseConv2d,
            LayerKind.FactorizedConv2d, LayerKind.Branch, LayerKind.ChannelSlice, LayerKind.Concat, LayerKind.ChannelShuffle, LayerKind.Conv2d,
            LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(["Concat ← 3", "ChannelShuffle 2", "ChannelSlice 8…15", "ChannelSlice 0…7", "Concat → 13", "ChannelShuffle 2"],
            model.Layers.Where(l => l.Kind is LayerKind.Concat or LayerKind.ChannelSlice or LayerKind.ChannelShuffle).Select(l => l.Label));
        Assert.Equal([new TensorShape(7, 7, 16), new TensorShape(7, 7, 8), new TensorShape(7, 7, 16)], new[] { 8, 9, 16 }.Select(model.OutputShapeOf));
        // stem 80; depthwise 80 three times; 1×1 convolutions 72 four times; factorized 8·4 + 4·8 + 8; head 204; dense 130.
        Assert.Equal(80 + 3 * 80 + 4 * 72 + 72 + 204 + 130, model.ParameterCount);
        // Per output pixel: stem 72 (14×14); branch 2's first 1×1 64 (14×14); then 7×7: depthwise 72 three times, the other
        // 1×1 convolutions 64 three times, factorized 32 + 32, head 192; dense 120.
        Assert.Equal(196 * 72 + 196 * 64 + 49 * (3 * 72 + 3 * 64 + 64 + 192) + 120, model.MultiplyAccumulates);
    }

    [Fact]
    public void ProjectionShortcutsPadsItsMaxPoolingWhereAZeroPaddingWouldWin()
    {
        // The stem's pooled output holds negative values on the image's edge, where a window hangs over it: a zero padding
        // would have given 0 there, so the fixture's expected outputs test that padding never wins.
        using var model = ModelReader.Load(Fixtures.Model("projection-shortcuts"));
        using var stem = new Model(model.InputShape, [model.Layers[0], model.Layers[1]], new ModelMetadata());
        using var session = new InferenceSession(stem);
        float[] inputs = Fixtures.Floats("projection-shortcuts.input.f32");
        var pooled = new float[4 * session.OutputLength];
        session.Run(inputs, pooled, 4);
        int channels = 8, side = 14;
        bool OnEdge(int index) => (index / channels % (side * side)) is var pixel && (pixel / side == 0 || pixel % side == 0);
        Assert.Contains(Enumerable.Range(0, pooled.Length), i => OnEdge(i) && pooled[i] < 0);
    }

    [Fact]
    public void InvertedResidualsHasTheDocumentedLayersAndItsReluSixClipsAtBothEnds()
    {
        using var model = ModelReader.Load(Fixtures.Model("inverted-residuals"));
        LayerKind[] block = [LayerKind.Conv2d, LayerKind.Relu6, LayerKind.DepthwiseConv2d, LayerKind.Relu6, LayerKind.Conv2d, LayerKind.Add];
        Assert.Equal([LayerKind.Conv2d, LayerKind.Relu6, .. block, .. block, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([2, 8], model.Layers.OfType<AddLayer>().Select(a => a.Source));
        Assert.Equal(new ConvolutionGeometry(3, 2, 1), ((Conv2dLayer)model.Layers[0]).Geometry);
        // conv 80; per block expand 8·24 + 24, depthwise 9·24 + 24, project 24·8 + 8; dense 3,930.
        Assert.Equal(80 + 2 * (216 + 240 + 200) + 3_930, model.ParameterCount);
        // The stem's output before its ReLU6 leaves [0, 6] on both sides, so the fixture tests both clips.
        using var stem = new Model(model.InputShape, [model.Layers[0]], new ModelMetadata());
        using var session = new InferenceSession(stem);
        float[] inputs = Fixtures.Floats("inverted-residuals.input.f32");
        var outputs = new float[4 * session.OutputLength];
        session.Run(inputs, outputs, 4);
        Assert.Contains(outputs, v => v > 6);
        Assert.Contains(outputs, v => v < 0);
    }

    [Fact]
    public void SqueezeExciteHasTheDocumentedLayersAndItsHardSwishSeesBothKinks()
    {
        using var model = ModelReader.Load(Fixtures.Model("squeeze-excite"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.HardSwish,
            LayerKind.Conv2d, LayerKind.HardSwish, LayerKind.DepthwiseConv2d, LayerKind.HardSwish,
            LayerKind.AvgPool2d, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.HardSigmoid, LayerKind.ChannelScale, LayerKind.Conv2d, LayerKind.Add,
            LayerKind.Conv2d, LayerKind.Silu, LayerKind.DepthwiseConv2d, LayerKind.Silu,
            LayerKind.AvgPool2d, LayerKind.Conv2d, LayerKind.Silu, LayerKind.Conv2d, LayerKind.Sigmoid, LayerKind.ChannelScale, LayerKind.FactorizedConv2d,
            LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense, LayerKind.HardSwish, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(["ChannelScale ← 6", "ChannelScale ← 17"], model.Layers.OfType<ChannelScaleLayer>().Select(l => l.Label));
        Assert.Equal((1f / 6, 0.5f), model.Layers.OfType<HardSigmoidLayer>().Select(h => (h.Alpha, h.Beta)).Single());
        Assert.Equal([new TensorShape(1, 1, 16), new TensorShape(14, 14, 16), new TensorShape(1, 1, 24), new TensorShape(7, 7, 24)],
            new[] { 9, 10, 21, 22 }.Select(model.OutputShapeOf));
        // stem 80; expand 144, depthwise 160, squeeze 68, excite 80, project 136; expand 216, depthwise 240, squeeze 150,
        // excite 168, factorized 24·4 + 4·12 + 12; dense 208 and 170.
        Assert.Equal(80 + 144 + 160 + 68 + 80 + 136 + 216 + 240 + 150 + 168 + 156 + 208 + 170, model.ParameterCount);
        // The stem's output, which the first hard swish takes, lies past −3 and past 3 on the fixture's inputs.
        using var stem = new Model(model.InputShape, [model.Layers[0]], new ModelMetadata());
        using var session = new InferenceSession(stem);
        float[] inputs = Fixtures.Floats("squeeze-excite.input.f32");
        var outputs = new float[4 * session.OutputLength];
        session.Run(inputs, outputs, 4);
        Assert.Contains(outputs, v => v > 3);
        Assert.Contains(outputs, v => v < -3);
    }

    [Fact]
    public void LeakyReluHasTheDocumentedLayersAndEachSlopeSeesNegativeInputs()
    {
        using var model = ModelReader.Load(Fixtures.Model("leaky-relu"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.LeakyRelu, LayerKind.Conv2d, LayerKind.LeakyRelu, LayerKind.Flatten,
            LayerKind.Dense, LayerKind.LeakyRelu, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([0.01f, 0.2f, -0.5f], model.Layers.OfType<LeakyReluLayer>().Select(l => l.Alpha));
        Assert.Equal(["LeakyRelu 0.01", "LeakyRelu 0.2", "LeakyRelu -0.5"], model.Layers.OfType<LeakyReluLayer>().Select(l => l.Label));
        Assert.Equal([new TensorShape(13, 13, 6), new TensorShape(6, 6, 8), new TensorShape(16)], new[] { 1, 3, 6 }.Select(model.InputShapeOf));
        Assert.Equal(60 + 440 + 4_624 + 170, model.ParameterCount);
        // Every leaky ReLU's input holds negative values on the fixture's inputs, so each slope moves the logits.
        float[] inputs = Fixtures.Floats("leaky-relu.input.f32");
        foreach (int leaky in new[] { 1, 3, 6 })
        {
            using var head = new Model(model.InputShape, model.Layers.Take(leaky).ToArray(), new ModelMetadata());
            using var session = new InferenceSession(head);
            var outputs = new float[4 * session.OutputLength];
            session.Run(inputs, outputs, 4);
            Assert.Contains(outputs, v => v < 0);
            Assert.Contains(outputs, v => v > 0);
        }
    }

    /// <summary>The 1.13 network: each window padded as the framework that pads it so would, read back side by side from its
    /// 88-byte records under required feature 0x20, and output shapes from each side's padding.</summary>
    [Fact]
    public void UnevenPaddingHasTheDocumentedWindowsInLongerRecords()
    {
        var file = new FileBytes(File.ReadAllBytes(Fixtures.Model("uneven-padding")));
        Assert.Equal(FormatConstants.UnevenPaddingRecordSize, file.LayerRecordSize);
        Assert.Equal(RequiredFeatures.UnevenPadding | RequiredFeatures.PaddedPooling | RequiredFeatures.RowMajorWeights, file.U32(FileLayout.Header.RequiredFlags));
        using var model = ModelReader.Load(file.Bytes);
        Assert.Equal([LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.FactorizedConv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        var same = new WindowPadding(0, 0, 1, 1);
        Assert.Equal([new ConvolutionGeometry(3, 2, same), new ConvolutionGeometry(3, 2, new WindowPadding(1, 0, 1, 2)), new ConvolutionGeometry(4, 1, new WindowPadding(1, 1, 2, 2)),
            new ConvolutionGeometry(2, 2, same)], model.Layers.Take(4).Select(layer => TensorPlan.Window(layer)!.Value));
        Assert.Equal([new TensorShape(14, 14, 12), new TensorShape(7, 7, 12), new TensorShape(7, 7, 16), new TensorShape(4, 4, 16)],
            Enumerable.Range(0, 4).Select(model.OutputShapeOf));
        Assert.Equal(6, model.Layers[2].Rank);
        // conv 9·12 + 12, depthwise 9·12 + 12, factorized 192·6 + 6·16 + 16, dense 256·10 + 10.
        Assert.Equal(120 + 120 + 1_264 + 2_570, model.ParameterCount);
    }

    [Fact]
    public void ChannelAffineHasTheDocumentedLayersAndItsReluSixClipsAtBothEnds()
    {
        using var model = ModelReader.Load(Fixtures.Model("channel-affine"));
        Assert.Equal([LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.Relu6, LayerKind.Conv2d,
            LayerKind.DepthwiseConv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        var affine = model.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
        Assert.Equal([1, 3, 11], affine.Select(d => d.Channels));
        Assert.All(affine, d => Assert.Equal(new ConvolutionGeometry(1), d.Geometry));
        Assert.Equal([1, 0, 11], affine.Select(d => d.Bias.Length));
        Assert.Equal([Activation.None, Activation.None, Activation.Relu], affine.Select(d => d.Activation));
        Assert.Equal((1 / 0.3081f, -0.1307f / 0.3081f), (affine[0].Filters.Span[0], affine[0].Bias.Span[0])); // MNIST's normalization
        Assert.Equal([new TensorShape(13, 13, 3), new TensorShape(13, 13, 11), new TensorShape(1_859)], new[] { 1, 4, 6 }.Select(model.OutputShapeOf));
        // dw 2, conv 27 + 3, dw 3, conv 33 + 11, dw 22, dense 18,600.
        Assert.Equal(2 + 30 + 3 + 44 + 22 + 18_600, model.ParameterCount);
        // One per float for each 1×1 depthwise (784, 507, 1,859); conv 27 and 33 per output pixel (13×13); dense 18,590.
        Assert.Equal(784 + 169 * 27 + 507 + 169 * 33 + 1_859 + 18_590, model.MultiplyAccumulates);
        // The 3-channel layer's output, which the ReLU6 fused into it takes, lies below 0 and above 6 on the fixture's inputs.
        using var front = new Model(model.InputShape, model.Layers.Take(3).ToArray(), new ModelMetadata());
        using var session = new InferenceSession(front);
        float[] inputs = Fixtures.Floats("channel-affine.input.f32");
        var outputs = new float[4 * session.OutputLength];
        session.Run(inputs, outputs, 4);
        Assert.Contains(outputs, v => v > 6);
        Assert.Contains(outputs, v => v < 0);
    }

    [Fact]
    public void FoldedNormalizationRecordsItsNormalizationAndNoPixelScale()
    {
        using var model = ModelReader.Load(Fixtures.Model("folded-normalization"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(new TensorShape(13, 13, 4), model.OutputShapeOf(0));
        Assert.Equal(36 + 4 + 6_760 + 10, model.ParameterCount);
        Assert.Null(model.Metadata.InputPixelMax);
        Assert.Equal("(x - 0.1307) / 0.3081, folded into the first layer; the model takes unnormalized inputs", model.Metadata.InputNormalization);
    }

    /// <summary>An int8 twin stores its network in about a quarter of the bytes (biases and scales stay f32), and requires
    /// the int8 feature, so that a 1.2 reader asks for an upgrade.</summary>
    [Theory]
    [InlineData("lenet300-factorized", 169_664, 46_848)]
    [InlineData("lenet5-factorized", 262_720, 71_744)]
    [InlineData("tiny-odd", 4_608, 2_368)]
    public void Int8TwinsTakeAboutAQuarterOfTheBytes(string name, long floatBytes, long int8Bytes)
    {
        Assert.Equal(floatBytes, new FileInfo(Fixtures.Model(name)).Length);
        Assert.Equal(int8Bytes, new FileInfo(Fixtures.Model(name + "-int8")).Length);
        byte[] file = File.ReadAllBytes(Fixtures.Model(name + "-int8"));
        Assert.Equal(RequiredFeatures.Int8Weights, BitConverter.ToUInt32(file, FileLayout.Header.RequiredFlags) & RequiredFeatures.Int8Weights);
        using var twin = ModelReader.Load(Fixtures.Model(name + "-int8"));
        Assert.All(TestModels.Matrices(twin), m => Assert.Equal(ElementType.Int8, m.ElementType));
    }

    /// <summary>The move from 1.0 to 1.1 changed only the minor version and hence the CRC.</summary>
    [Theory, MemberData(nameof(Released1_0))]
    public void Release1_1ChangedOnlyTheMinorVersionAndTheCrc(string released) =>
        AssertOnlyVersionAndCrcChanged(released, "v1.1/" + Path.GetFileName(released));

    private static void AssertOnlyVersionAndCrcChanged(string released, string next)
    {
        byte[] old = File.ReadAllBytes(Fixtures.Model(released));
        byte[] now = File.ReadAllBytes(Fixtures.Model(next));
        Assert.Equal(old.Length, now.Length);
        int[] changed = Enumerable.Range(0, old.Length).Where(i => old[i] != now[i]).ToArray();
        Assert.All(changed, i => Assert.True(i is FileLayout.Header.Minor or >= FileLayout.Header.Crc and < FileLayout.Header.Crc + 4, $"byte {i} changed"));
        Assert.Equal(Fixtures.Floats(released + ".expected.f32"), Fixtures.Floats(next + ".expected.f32"));
    }

    /// <summary>The move from 1.1 to 1.2 changed how narrow matrices are stored, not the network: the same inputs,
    /// the same expected outputs, the same packed weights once loaded, and a file no larger.</summary>
    [Theory, MemberData(nameof(Released1_1))]
    public void Release1_2StoresTheSameNetworkInNoMoreBytes(string released)
    {
        string name = Path.GetFileName(released);
        Assert.Equal(Fixtures.Floats(released + ".input.f32"), Fixtures.Floats(name + ".input.f32"));
        Assert.Equal(Fixtures.Floats(released + ".expected.f32"), Fixtures.Floats(name + ".expected.f32"));
        using var old = ModelReader.Load(Fixtures.Model(released));
        using var now = ModelReader.Load(Fixtures.Model(name));
        ModelAssert.Same(old, now);
        Assert.True(new FileInfo(Fixtures.Model(name)).Length <= new FileInfo(Fixtures.Model(released)).Length);
    }

    [Fact]
    public void FactorizedLeNet300ShedsItsPanelPadding()
    {
        // 1.2 stores A1 784×30, A2 300×20, B2 20×100 and W3 100×10 row-major (B1 30×300 pads 4 columns of 304, under
        // 1/16, and stays panel-16): 784·2 + 300·12 + 20·12 + 100·6 = 6,008 floats of padding (24,032 bytes) leave the
        // file, less what the 64-byte alignment of each tensor takes back.
        Assert.Equal(193_664, new FileInfo(Fixtures.Model("v1.1/lenet300-factorized")).Length);
        Assert.Equal(169_664, new FileInfo(Fixtures.Model("lenet300-factorized")).Length);
    }

    [Theory, MemberData(nameof(All))]
    public void LoadersAgreeAndReproduceTheExpectedOutputs(string name)
    {
        using var loaded = new EveryLoader(Fixtures.Model(name));
        Model mapped = loaded.Mapped;
        ModelAssert.Same(mapped, loaded.Streamed);
        ModelAssert.Same(mapped, loaded.Copied);
        var (inputs, expected, batch) = Pairs(name, mapped);
        int features = mapped.InputShape.ElementCount, outputs = mapped.OutputShape.ElementCount;
        for (int b = 0; b < batch; b++)
        {
            double[] y = ReferenceForward.Run(mapped, inputs.AsSpan(b * features, features));
            AssertClose(expected.AsSpan(b * outputs, outputs), y.Select(v => (float)v).ToArray(), b);
        }
    }

    /// <summary>The same files through the runtime's own kernels (implicit-GEMM convolution, packed GEMM, max-pool, fusion), batched.</summary>
    [Theory, MemberData(nameof(All))]
    public void InferenceSessionReproducesTheExpectedOutputs(string name)
    {
        using var model = ModelReader.Load(Fixtures.Model(name));
        var (inputs, expected, batch) = Pairs(name, model);
        using var session = new InferenceSession(model);
        var output = new float[expected.Length];
        session.Run(inputs, output, batch);
        int outputs = model.OutputShape.ElementCount;
        for (int b = 0; b < batch; b++)
            AssertClose(expected.AsSpan(b * outputs, outputs), output.AsSpan(b * outputs, outputs), b);
    }

    [Fact]
    public void FactorizedFixtureHasTheDocumentedRanks()
    {
        using var model = ModelReader.Load(Fixtures.Model("lenet300-factorized"));
        Assert.Equal([LayerKind.FactorizedDense, LayerKind.FactorizedDense, LayerKind.Dense, LayerKind.Softmax], model.Layers.Select(l => l.Kind));
        Assert.Equal([30, 20, 10, 0], model.Layers.Select(l => l.Rank));
        Assert.Equal([FactorizationMethod.Svd, FactorizationMethod.Cur], model.Layers.Take(2).Select(l => l.Method));
        Assert.Equal(10, model.Metadata.Labels.Count);
    }

    [Fact]
    public void LeNet5FixturesHaveTheDocumentedLayers()
    {
        using var dense = ModelReader.Load(Fixtures.Model("lenet5-dense"));
        using var factorized = ModelReader.Load(Fixtures.Model("lenet5-factorized"));
        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Softmax],
            dense.Layers.Select(l => l.Kind));
        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.FactorizedConv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.FactorizedDense, LayerKind.Dense, LayerKind.Softmax],
            factorized.Layers.Select(l => l.Kind));
        Assert.Equal([20, 0, 50, 0, 0, 500, 10, 0], dense.Layers.Select(l => l.Rank));
        Assert.Equal([20, 0, 12, 0, 0, 40, 10, 0], factorized.Layers.Select(l => l.Rank));
        Assert.Equal((FactorizationMethod.Cur, FactorizationMethod.Svd), (factorized.Layers[2].Method, factorized.Layers[5].Method));
        Assert.Equal(new TensorShape(28, 28, 1), dense.InputShape);
        Assert.Equal(new TensorShape(4, 4, 50), dense.OutputShapeOf(3));
        Assert.Equal(20, ((Conv2dLayer)dense.Layers[2]).InputChannels);
        Assert.Equal(new ConvolutionGeometry(2, 2), ((MaxPool2dLayer)dense.Layers[1]).Geometry);
        // conv1 24·24·25·20 + conv2 8·8·500·50 + 800·500 + 500·10; factorized conv2 8·8·12·(500+50), fc1 40·(800+500).
        Assert.Equal(288_000 + 1_600_000 + 400_000 + 5_000, dense.MultiplyAccumulates);
        Assert.Equal(288_000 + 422_400 + 52_000 + 5_000, factorized.MultiplyAccumulates);
        Assert.Equal(dense.ParameterCount, factorized.DenseEquivalentParameterCount);
    }

    private static (int Major, int Minor) Version(string name)
    {
        byte[] header = File.ReadAllBytes(Fixtures.Model(name))[..12];
        return (BitConverter.ToUInt16(header, FileLayout.Header.Major), BitConverter.ToUInt16(header, FileLayout.Header.Minor));
    }

    private static (float[] Inputs, float[] Expected, int Batch) Pairs(string name, Model model)
    {
        float[] inputs = Fixtures.Floats(name + ".input.f32"), expected = Fixtures.Floats(name + ".expected.f32");
        int features = model.InputShape.ElementCount, outputs = model.OutputShape.ElementCount;
        Assert.Equal(0, inputs.Length % features);
        int batch = inputs.Length / features;
        Assert.Equal(4, batch);
        Assert.Equal(batch * outputs, expected.Length);
        return (inputs, expected, batch);
    }

    /// <summary>Within 1e-5 relative (1e-5·(1 + |expected|)).</summary>
    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int sample)
    {
        for (int n = 0; n < expected.Length; n++)
            Assert.True(Math.Abs(actual[n] - expected[n]) <= 1e-5 * (1 + Math.Abs(expected[n])), $"sample {sample}, output {n}: {actual[n]} vs {expected[n]}");
    }
}
