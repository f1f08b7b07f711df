using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>MobileNetV3's and EfficientNet's activations and squeeze-and-excitation gates (format 1.9) as torch.onnx.export
/// and other tools write them, imported and run against ONNX Runtime at batch 1 and 4: HardSwish, HardSigmoid, SiLU as a
/// Sigmoid and a Mul, hardswish as x · HardSigmoid(x), and the Mul of an image by a gate of one value per channel.</summary>
public sealed class SqueezeExcitationGraphTests(ITestOutputHelper output)
{
    private const LayerKind Conv = LayerKind.Conv2d, Pool = LayerKind.AvgPool2d, Scale = LayerKind.ChannelScale;

    [Theory]
    [InlineData(true)]    // Mul(gate, x), as torch.onnx.export writes torchvision's SqueezeExcitation
    [InlineData(false)]   // Mul(x, gate)
    public void MobileNetV3sBlock(bool gateFirst)
    {
        // expand 1×1 + HardSwish (the block's x), GlobalAveragePool, fc1 + Relu, fc2, HardSigmoid(1/6, 0.5), x · gate, project.
        var g = new GraphBuilder([3, 8, 8], opset: 14);
        string x = g.ConvBn("expand", [8, 3, 3, 3], relu: false, folded: true).Then("HardSwish").Current;
        string gate = g.Then("GlobalAveragePool").ConvBn("fc1", [4, 8, 1, 1], relu: true, folded: true).ConvBn("fc2", [8, 4, 1, 1], relu: false, folded: true)
            .Then("HardSigmoid", Float("alpha", 1f / 6)).Current;
        g.Of("Mul", gateFirst ? [gate, x] : [x, gate]);
        Head(g.ConvBn("project", [6, 8, 1, 1], relu: false, folded: true), 6);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [3, 8, 8], output);

        Assert.Equal([Conv, LayerKind.HardSwish, Pool, Conv, Conv, LayerKind.HardSigmoid, Scale, Conv, Pool, LayerKind.Flatten, LayerKind.Dense], Kinds(model));
        Assert.Equal(LayerKind.HardSwish, model.Layers[model.Layers.OfType<ChannelScaleLayer>().Single().Source - 1].Kind);   // scales x
        HardSigmoidLayer hardSigmoid = model.Layers.OfType<HardSigmoidLayer>().Single();
        Assert.Equal((HardSigmoidLayer.PyTorchAlpha, HardSigmoidLayer.PyTorchBeta), (hardSigmoid.Alpha, hardSigmoid.Beta));
    }

    [Theory]
    [InlineData(true)]    // SiLU as torch writes it, Mul(x, σ(x)); the gate Mul(gate, x)
    [InlineData(false)]   // Mul(σ(x), x); Mul(x, gate)
    public void EfficientNetsBlock(bool torchOrder)
    {
        // expand 1×1 + SiLU, depthwise 3×3 + SiLU (the block's x), GlobalAveragePool, fc1 + SiLU, fc2, Sigmoid, x · gate, project.
        var g = new GraphBuilder([4, 7, 7], opset: 13);
        Silu(g.ConvBn("expand", [8, 4, 1, 1], relu: false, folded: true), torchOrder);
        string x = Silu(g.ConvBn("depthwise", [8, 1, 3, 3], relu: false, folded: true, group: 8), torchOrder).Current;
        string gate = Silu(g.Then("GlobalAveragePool").ConvBn("fc1", [2, 8, 1, 1], relu: false, folded: true), torchOrder)
            .ConvBn("fc2", [8, 2, 1, 1], relu: false, folded: true).Then("Sigmoid").Current;
        g.Of("Mul", torchOrder ? [gate, x] : [x, gate]);
        Head(g.ConvBn("project", [5, 8, 1, 1], relu: false, folded: true), 5);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [4, 7, 7], output);

        Assert.Equal([Conv, LayerKind.Silu, LayerKind.DepthwiseConv2d, LayerKind.Silu, Pool, Conv, LayerKind.Silu, Conv, LayerKind.Sigmoid, Scale, Conv, Pool,
            LayerKind.Flatten, LayerKind.Dense], Kinds(model));
        Assert.Equal(4, model.Layers.OfType<ChannelScaleLayer>().Single().Source);   // the depthwise layer's SiLU
    }

    [Theory]
    [InlineData(14, false)]   // HardSwish, a node from opset 14
    [InlineData(13, false)]   // x · HardSigmoid(x) with alpha 1/6, beta 0.5: hardswish before opset 14
    [InlineData(13, true)]    // HardSigmoid(x) · x
    public void HardSwishAsANodeOrAsAProduct(int opset, bool gateFirst)
    {
        var g = new GraphBuilder([3, 6, 6], opset);
        string x = g.ConvBn("conv", [4, 3, 3, 3], relu: false, folded: true).Current;
        if (opset >= 14) g.Then("HardSwish");
        else
        {
            string gate = g.Then("HardSigmoid", Float("alpha", 1f / 6), Float("beta", 0.5f)).Current;
            g.Of("Mul", gateFirst ? [gate, x] : [x, gate]);
        }
        Head(g, 4);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [3, 6, 6], output);

        Assert.Equal([Conv, LayerKind.HardSwish, Pool, LayerKind.Flatten, LayerKind.Dense], Kinds(model));
    }

    [Theory]
    [InlineData(null, null)]   // ONNX's defaults, 0.2 and 0.5 (Keras' hard_sigmoid)
    [InlineData(0.3f, -0.25f)]
    public void AHardSigmoidOfAnySlopeAndOffset(float? alpha, float? beta)
    {
        var attributes = new List<AttributeProto>();
        if (alpha is { } a) attributes.Add(Float("alpha", a));
        if (beta is { } b) attributes.Add(Float("beta", b));
        var g = new GraphBuilder([3, 6, 6]);
        g.ConvBn("conv", [4, 3, 3, 3], relu: false, folded: true).Then("HardSigmoid", [.. attributes]);
        Head(g, 4);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [3, 6, 6], output);

        HardSigmoidLayer layer = Assert.IsType<HardSigmoidLayer>(model.Layers[1]);
        Assert.Equal((alpha ?? 0.2f, beta ?? 0.5f), (layer.Alpha, layer.Beta));
    }

    [Theory]
    [InlineData(13)]   // Unsqueeze's axes an input
    [InlineData(11)]   // an attribute
    public void AGateComputedByGemmsAndUnsqueezed(int opset)
    {
        // x, GlobalAveragePool, Flatten, Gemm + Relu, Gemm, Sigmoid, Unsqueeze to N×C×1×1, x · gate: a dense squeeze-and-excitation.
        var g = new GraphBuilder([3, 6, 6], opset);
        string x = g.ConvBn("conv", [6, 3, 3, 3], relu: true, folded: true).Current;
        g.Then("GlobalAveragePool").Then("Flatten").Then("Gemm", [g.Weights("fc1", [3, 6]), g.Weights("fc1.bias", [3])], Int("transB", 1)).Then("Relu")
            .Then("Gemm", [g.Weights("fc2", [6, 3]), g.Weights("fc2.bias", [6])], Int("transB", 1)).Then("Sigmoid");
        if (opset >= 13) g.Then("Unsqueeze", [Int64Initializer(g.Graph, "axes", [2, 3], 2)]);
        else g.Then("Unsqueeze", Ints("axes", -1, 2));
        Head(g.Of("Mul", [x, g.Current]), 6);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [3, 6, 6], output);

        Assert.Equal([Conv, Pool, LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Sigmoid, Scale, Pool, LayerKind.Flatten, LayerKind.Dense], Kinds(model));
        Assert.Equal(1, model.Layers.OfType<ChannelScaleLayer>().Single().Source);
    }

    [Fact]
    public void AVectorScaledByAGateOfOneValuePerFeature()
    {
        var g = new GraphBuilder([12]);
        string x = g.Then("Gemm", [g.Weights("fc1", [12, 8]), g.Weights("fc1.bias", [8])]).Then("Relu").Current;
        g.Then("Gemm", [g.Weights("fc2", [8, 8]), g.Weights("fc2.bias", [8])]).Then("Sigmoid").Of("Mul", [x, g.Current])
            .Then("Gemm", [g.Weights("fc3", [8, 4]), g.Weights("fc3.bias", [4])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [12], output);

        Assert.Equal([LayerKind.Dense, LayerKind.Dense, LayerKind.Sigmoid, Scale, LayerKind.Dense], Kinds(model));
        Assert.Equal(1, model.Layers.OfType<ChannelScaleLayer>().Single().Source);
    }

    [Fact]
    public void AVectorTimesItsOwnHardSigmoidOfOtherSlope()
    {
        // x · HardSigmoid(x) with ONNX's default alpha 0.2 is no hardswish; of a vector it is a gate of one value per feature.
        var g = new GraphBuilder([12]);
        string x = g.Then("Gemm", [g.Weights("fc1", [12, 8]), g.Weights("fc1.bias", [8])]).Current;
        g.Then("HardSigmoid").Of("Mul", [x, g.Current]).Then("Gemm", [g.Weights("fc2", [8, 4]), g.Weights("fc2.bias", [4])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [12], output);

        Assert.Equal([LayerKind.Dense, LayerKind.HardSigmoid, Scale, LayerKind.Dense], Kinds(model));
        Assert.Equal((0.2f, 0.5f, 1), (((HardSigmoidLayer)model.Layers[1]).Alpha, ((HardSigmoidLayer)model.Layers[1]).Beta, ((ChannelScaleLayer)model.Layers[2]).Source));
    }

    [Fact]
    public void AGateFromTheBlocksInputScalesItsMainPath()
    {
        // y = conv(x) first, then the gate from x (a Branch back to x) and y · gate: the runtime's Branch may end in a ChannelScale.
        var g = new GraphBuilder([3, 6, 6]);
        string x = g.ConvBn("stem", [4, 3, 3, 3], relu: true, folded: true).Current;
        string y = g.ConvBn("main", [4, 4, 3, 3], relu: false, folded: true).Current;
        g.From(x).Then("GlobalAveragePool").ConvBn("fc", [4, 4, 1, 1], relu: false, folded: true).Then("HardSigmoid");
        Head(g.Of("Mul", [g.Current, y]), 4);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [3, 6, 6], output);

        Assert.Equal([Conv, Conv, LayerKind.Branch, Pool, Conv, LayerKind.HardSigmoid, Scale, Pool, LayerKind.Flatten, LayerKind.Dense], Kinds(model));
        Assert.Equal((1, 2), (model.Layers.OfType<BranchLayer>().Single().Source, model.Layers.OfType<ChannelScaleLayer>().Single().Source));
    }

    [Fact]
    public void AMeanOverAnImageLargerThanAWindowIsTwoPoolings()
    {
        // EfficientNet-B0's first gate averages 112×112 pixels; the runtime's windows end at 64: 2×2 blocks, then 40×40.
        var g = new GraphBuilder([2, 80, 80]);
        Head(g.ConvBn("conv", [3, 2, 3, 3], relu: true, folded: true), 3);

        Model model = Compare.AtBatchOneAndFour(g.Build(5), [2, 80, 80], output);

        Assert.Equal([2, 40], model.Layers.OfType<AvgPool2dLayer>().Select(p => p.Geometry.KernelSize));
    }

    /// <summary>x · σ(x) of <see cref="GraphBuilder.Current"/>, as torch writes nn.SiLU (Mul(x, σ(x))) or the other way round.</summary>
    private static GraphBuilder Silu(GraphBuilder g, bool torchOrder)
    {
        string x = g.Current, sigmoid = g.Then("Sigmoid").Current;
        return g.Of("Mul", torchOrder ? [x, sigmoid] : [sigmoid, x]);
    }

    /// <summary>GlobalAveragePool, Flatten and a Gemm from <paramref name="channels"/> to 5.</summary>
    private static void Head(GraphBuilder g, int channels) =>
        g.Then("GlobalAveragePool").Then("Flatten").Then("Gemm", [g.Weights("head", [5, channels]), g.Weights("head.bias", [5])], Int("transB", 1));

    private static LayerKind[] Kinds(Model model) => model.Layers.Select(l => l.Kind).ToArray();
}
