using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Residual networks with identity shortcuts, written the way torch.onnx.export writes ResNet's basic blocks and
/// MobileNet v2's inverted residuals, imported and run by the runtime against ONNX Runtime on the same file, at batch 1 and 4.</summary>
public sealed class ResidualGraphTests
{
    public static TheoryData<bool, bool> BlockForms => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory, MemberData(nameof(BlockForms))]
    public void ResNetBasicBlocks(bool folded, bool identityFirst)
    {
        // torchvision's BasicBlock of one shape: out = relu(bn1(conv1(x))); out = bn2(conv2(out)); out += identity; relu(out).
        // A stem, two blocks (the second's identity the first's output), GlobalAveragePool, torch.flatten and nn.Linear;
        // the batch normalizations as nodes, or folded into the Conv as the export folds them in eval mode.
        var g = new GraphBuilder([3, 8, 8], opset: 17);
        g.ConvBn("conv1", [6, 3, 3, 3], relu: true, folded);
        for (int b = 0; b < 2; b++)
        {
            string identity = g.Current;
            g.ConvBn($"layer1.{b}.conv1", [6, 6, 3, 3], relu: true, folded)
                .ConvBn($"layer1.{b}.conv2", [6, 6, 3, 3], relu: false, folded)
                .Residual(identity, identityFirst)
                .Then("Relu");
        }
        g.Then("GlobalAveragePool").Then("Flatten", Int("axis", 1)).Then("Gemm", [g.Weights("fc.weight", [5, 6]), g.Weights("fc.bias", [5])], Int("transB", 1));
        byte[] onnx = g.Build(5);

        Model model = Compare.AtBatchOneAndFour(onnx, [3, 8, 8], output: null);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Add, LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Add,
            LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([(1, Activation.Relu), (4, Activation.Relu)], Adds(model));
        Assert.Equal([Activation.Relu, Activation.Relu, Activation.None], model.Layers.Take(3).Select(l => l.Activation));
    }

    [Theory]
    [InlineData(false, 24)]   // the depthwise kernel (24 channels)
    [InlineData(true, 6)]     // below Vector<float>.Count channels with AVX2: the session's block-diagonal dense convolution
    public void MobileNetV2InvertedResiduals(bool folded, int expanded)
    {
        // torchvision's InvertedResidual of stride 1 and equal channels: return x + self.conv(x), where conv is an
        // expanding 1×1 Conv, BN, ReLU6; a depthwise 3×3 Conv, BN, ReLU6; a projecting 1×1 Conv and BN (the linear
        // bottleneck: no activation). torch.onnx.export writes each ReLU6 as Clip(0, 6), its bounds Constant nodes (here
        // initializers too, in the folded form). The second block's identity is the first's sum, which no activation follows.
        var g = new GraphBuilder([3, 12, 12], opset: 17);
        g.ConvBn("features.0", [8, 3, 3, 3], relu: false, folded, stride: 2).Relu6(initializers: folded);   // 6×6×8
        for (int b = 1; b <= 2; b++)
        {
            string identity = g.Current;
            g.ConvBn($"features.{b}.expand", [expanded, 8, 1, 1], relu: false, folded).Relu6(initializers: folded)
                .ConvBn($"features.{b}.depthwise", [expanded, 1, 3, 3], relu: false, folded, group: expanded).Relu6(initializers: folded)
                .ConvBn($"features.{b}.project", [8, expanded, 1, 1], relu: false, folded)
                .Residual(identity, skipFirst: true);
        }
        g.ConvBn("features.3", [16, 8, 1, 1], relu: false, folded).Relu6(initializers: folded)
            .Then("GlobalAveragePool").Then("Flatten", Int("axis", 1)).Then("Gemm", [g.Weights("classifier.weight", [5, 16]), g.Weights("classifier.bias", [5])], Int("transB", 1));
        byte[] onnx = g.Build(5);

        Model model = Compare.AtBatchOneAndFour(onnx, [3, 12, 12], output: null);

        LayerKind[] block = [LayerKind.Conv2d, LayerKind.Relu6, LayerKind.DepthwiseConv2d, LayerKind.Relu6, LayerKind.Conv2d, LayerKind.Add];
        Assert.Equal([LayerKind.Conv2d, LayerKind.Relu6, .. block, .. block, LayerKind.Conv2d, LayerKind.Relu6, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal([(2, Activation.None), (8, Activation.None)], Adds(model));
        Assert.All(model.Layers, l => Assert.Equal(Activation.None, l.Activation));   // a ReLU6 never fuses
    }

    [Fact]
    public void AClipFromZeroWithoutAMaxIsARelu()
    {
        // Clip(0, +∞), its max left out (opset 11 and later) or at its default (before): a ReLU, fused as one.
        foreach (int opset in new[] { 10, 17 })
        {
            var g = new GraphBuilder([4, 6, 6], opset);
            g.Then("Conv", [g.Weights("c.w", [4, 4, 3, 3]), g.Weights("c.b", [4])], Ints("pads", 1, 1, 1, 1));
            if (opset >= 11) g.Then("Clip", [Initializer(g.Graph, "min", [0f])]);
            else g.Then("Clip", Float("min", 0));

            Model model = Compare.AtBatchOneAndFour(ClassifierOf4x6x6(g), [4, 6, 6], output: null);

            Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
            Assert.Equal(Activation.Relu, model.Layers[0].Activation);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASkipFromTheGraphsInput(bool inputFirst)
    {
        var g = new GraphBuilder([4, 6, 6]);
        g.ConvBn("conv1", [4, 4, 3, 3], relu: true, folded: true)
            .ConvBn("conv2", [4, 4, 3, 3], relu: false, folded: true)
            .Residual("x", inputFirst)
            .Then("Relu");
        byte[] onnx = ClassifierOf4x6x6(g);

        Model model = Compare.AtBatchOneAndFour(onnx, [4, 6, 6], output: null);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Add, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([(0, Activation.Relu)], Adds(model));
    }

    [Fact]
    public void ASkipFromTheRawInputOfAGraphThatNormalizesIt()
    {
        // (x − 0.5) / 0.25 folds into the first Gemm, so the model takes x as it comes: activation 0 is the x the Add reads.
        var g = new GraphBuilder([10]);
        g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f])]).Then("Div", [Initializer(g.Graph, "std", [0.25f])])
            .Then("Gemm", [g.Weights("fc1.w", [10, 10]), g.Weights("fc1.b", [10])], Int("transB", 1)).Then("Relu")
            .Residual("x")
            .Then("Gemm", [g.Weights("fc2.w", [3, 10]), g.Weights("fc2.b", [3])], Int("transB", 1));
        byte[] onnx = g.Build(3);

        Model model = Compare.AtBatchOneAndFour(onnx, [10], output: null);

        Assert.Equal([LayerKind.Dense, LayerKind.Add, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([(0, Activation.None)], Adds(model));
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sum")]
    public void ResidualMlpBlocksAroundAFactorizedPair(string op)
    {
        // x + relu(fc(x)), then x' + B·(A·x') with a 3-wide bottleneck: the pair stays one factorized layer, since no
        // residual Add reads the tensor between its factors.
        var g = new GraphBuilder([10]);
        g.Then("Gemm", [g.Weights("fc1.w", [10, 10]), g.Weights("fc1.b", [10])], Int("transB", 1)).Then("Relu").Then(op, ["x"]);
        string block = g.Current;
        g.Then("MatMul", [g.Weights("a", [10, 3])]).Then("MatMul", [g.Weights("b", [3, 10])]).Then("Add", [g.Weights("b.bias", [10])])
            .Then(op, [block])
            .Then("Gemm", [g.Weights("fc2.w", [4, 10]), g.Weights("fc2.b", [4])], Int("transB", 1))
            .Then("Softmax", Int("axis", -1));
        byte[] onnx = g.Build(4);

        Model model = Compare.AtBatchOneAndFour(onnx, [10], output: null);

        Assert.Equal([LayerKind.Dense, LayerKind.Add, LayerKind.FactorizedDense, LayerKind.Add, LayerKind.Dense, LayerKind.Softmax],
            model.Layers.Select(l => l.Kind));
        Assert.Equal([(0, Activation.None), (2, Activation.None)], Adds(model));
    }

    [Fact]
    public void ASkipFromBeforeAReluKeepsTheReluALayerOfItsOwn()
    {
        // The Add reads the Conv's output before the Relu that the next Conv reads: fused into the Conv, the Relu would
        // leave no activation with that tensor.
        var g = new GraphBuilder([4, 6, 6]);
        string conv = g.Then("Conv", [g.Weights("c1.w", [4, 4, 3, 3]), g.Weights("c1.b", [4])], Ints("pads", 1, 1, 1, 1)).Current;
        g.Then("Relu")
            .Then("Conv", [g.Weights("c2.w", [4, 4, 3, 3])], Ints("pads", 1, 1, 1, 1))
            .Residual(conv)
            .Then("Relu");
        byte[] onnx = ClassifierOf4x6x6(g);

        Model model = Compare.AtBatchOneAndFour(onnx, [4, 6, 6], output: null);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Relu, LayerKind.Conv2d, LayerKind.Add, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.None, model.Layers[0].Activation);
        Assert.Equal([(1, Activation.Relu)], Adds(model));
    }

    /// <summary>The graph ended by torch.flatten and nn.Linear(144, 5) after a 4×6×6 image.</summary>
    internal static byte[] ClassifierOf4x6x6(GraphBuilder g) =>
        g.Then("Flatten").Then("Gemm", [g.Weights("fc.w", [5, 144]), g.Weights("fc.b", [5])], Int("transB", 1)).Build(5);

    private static (int, Activation)[] Adds(Model model) => model.Layers.OfType<AddLayer>().Select(a => (a.Source, a.Activation)).ToArray();
}
