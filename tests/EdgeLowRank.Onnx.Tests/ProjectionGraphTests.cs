using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;
using static EdgeLowRank.Onnx.Tests.ResNetGraphs;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Shortcuts with nodes of their own (projections), written the way torch.onnx.export writes torchvision's ResNets
/// (the main path, then the <c>downsample</c> Conv and BatchNormalization reading the block's input, then the Add) and in
/// the other order (the shortcut first), imported as Branch and Add layers and run by the runtime against ONNX Runtime on
/// the same file. The largest difference is written to the test output.</summary>
public sealed class ProjectionGraphTests(ITestOutputHelper output)
{
    public static TheoryData<bool, bool> Orders => new() { { false, false }, { true, false }, { false, true } };

    [Theory, MemberData(nameof(Orders))]
    public void ResNet18(bool downsampleFirst, bool folded)
    {
        // torchvision's resnet18 at widths 8/16/32/64 on 32×32×3 images with CIFAR's stem (a 3×3 Conv of stride 1, no
        // max-pool) and narrow, to run every order and form of the batch normalizations cheaply; TorchvisionResNetTests runs
        // the real stem and widths.
        var g = new GraphBuilder([3, 32, 32], opset: 17);
        g.ConvBn("conv1", [8, 3, 3, 3], relu: true, folded, heScaled: true);
        var expected = new List<(LayerKind Kind, int Source)> { (LayerKind.Conv2d, -1) };
        StagesAndHead(g, 8, [8, 16, 32, 64], 10, folded, downsampleFirst, expected);
        byte[] onnx = g.Build(10);

        Model model = AtBatchOneAndEight(onnx, [3, 32, 32]);

        Assert.Equal(expected, model.Layers.Select(Signature));
        Assert.Equal(3, model.Layers.Count(l => l is BranchLayer));
        Assert.All(model.Layers.OfType<AddLayer>(), add => Assert.Equal(Activation.Relu, add.Activation));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResNet50BottleneckWithAStrideOneProjection(bool downsampleFirst)
    {
        // torchvision's Bottleneck as resnet50's layer1.0 has it: the block widens (8 → 16 channels, 4 inside) at stride 1,
        // so its downsample is a 1×1 Conv of stride 1 and a BatchNormalization: a channel change only.
        var g = new GraphBuilder([3, 8, 8], opset: 17);
        string x = g.ConvBn("conv1", [8, 3, 3, 3], relu: true, heScaled: true).Current;
        string Downsample() => g.From(x).ConvBn("layer1.0.downsample", [16, 8, 1, 1], relu: false, heScaled: true).Current;
        string? shortcut = downsampleFirst ? Downsample() : null;
        string main = g.From(x).ConvBn("layer1.0.conv1", [4, 8, 1, 1], relu: true, heScaled: true)
            .ConvBn("layer1.0.conv2", [4, 4, 3, 3], relu: true, heScaled: true)
            .ConvBn("layer1.0.conv3", [16, 4, 1, 1], relu: false, heScaled: true).Current;
        shortcut ??= Downsample();
        g.From(main).Residual(shortcut).Then("Relu")
            .Then("GlobalAveragePool").Then("Flatten", Int("axis", 1)).Then("Gemm", [g.Weights("fc.weight", [5, 16]), g.Weights("fc.bias", [5])], Int("transB", 1));
        byte[] onnx = g.Build(5);

        Model model = AtBatchOneAndEight(onnx, [3, 8, 8]);

        (LayerKind, int)[] block = downsampleFirst
            ? [(LayerKind.Conv2d, -1), (LayerKind.Branch, 1), (LayerKind.Conv2d, -1), (LayerKind.Conv2d, -1), (LayerKind.Conv2d, -1), (LayerKind.Add, 2)]
            : [(LayerKind.Conv2d, -1), (LayerKind.Conv2d, -1), (LayerKind.Conv2d, -1), (LayerKind.Branch, 1), (LayerKind.Conv2d, -1), (LayerKind.Add, 4)];
        Assert.Equal([(LayerKind.Conv2d, -1), .. block, (LayerKind.AvgPool2d, -1), (LayerKind.Flatten, -1), (LayerKind.Dense, -1)],
            model.Layers.Select(Signature));
        Assert.Equal(Activation.Relu, model.Layers.OfType<AddLayer>().Single().Activation);
    }

    [Fact]
    public void AnAddOfTwoTensorsNeitherOfThemTheChainsIsABranchAndAnAdd()
    {
        // (x + f(x)) + g(x), the nodes in that order: when the first Add comes the chain is at g(x), so the Add is a Branch to
        // x and an Add of f(x); the second Add adds g(x), which the Branch left.
        var g = new GraphBuilder([4, 6, 6]);
        string f = g.ConvBn("f", [4, 4, 3, 3], relu: true, folded: true).Current;
        string h = g.From("x").ConvBn("g", [4, 4, 3, 3], relu: false, folded: true).Current;
        g.From("x").Residual(f).Residual(h).Then("Relu");
        byte[] onnx = ResidualGraphTests.ClassifierOf4x6x6(g);

        Model model = AtBatchOneAndEight(onnx, [4, 6, 6]);

        Assert.Equal([(LayerKind.Conv2d, -1), (LayerKind.Branch, 0), (LayerKind.Conv2d, -1), (LayerKind.Branch, 0), (LayerKind.Add, 1), (LayerKind.Add, 3),
            (LayerKind.Flatten, -1), (LayerKind.Dense, -1)], model.Layers.Select(Signature));
    }

    [Fact]
    public void AShortcutsEndThatAnAddAddedMayBecomeTheChainsTensorAgain()
    {
        // a = f(x); s = g(x) + a; c = h(x); (a + s) + c. At a + s the chain is at c: a, which the first Add added, is the
        // Branch's target (s still waits for an Add), and the last Add adds c.
        var g = new GraphBuilder([4, 6, 6]);
        string a = g.ConvBn("f", [4, 4, 3, 3], relu: true, folded: true).Current;
        string s = g.From("x").ConvBn("g", [4, 4, 3, 3], relu: false, folded: true).Residual(a).Current;
        string c = g.From("x").ConvBn("h", [4, 4, 3, 3], relu: false, folded: true).Current;
        g.From(a).Residual(s).Residual(c).Then("Relu");
        byte[] onnx = ResidualGraphTests.ClassifierOf4x6x6(g);

        Model model = AtBatchOneAndEight(onnx, [4, 6, 6]);

        Assert.Equal([(LayerKind.Conv2d, -1), (LayerKind.Branch, 0), (LayerKind.Conv2d, -1), (LayerKind.Add, 1), (LayerKind.Branch, 0), (LayerKind.Conv2d, -1),
            (LayerKind.Branch, 1), (LayerKind.Add, 4), (LayerKind.Add, 6), (LayerKind.Flatten, -1), (LayerKind.Dense, -1)], model.Layers.Select(Signature));
    }

    [Fact]
    public void ASecondPathFromACopyOfTheChainsTensorNeedsNoBranch()
    {
        // conv(x) + Identity(x), the Identity first: when the Conv reads x the chain is at the Identity's output, the same
        // activation (0), so it simply goes on from x.
        var g = new GraphBuilder([4, 6, 6]);
        string copy = g.Then("Identity").Current;
        g.From("x").ConvBn("c", [4, 4, 3, 3], relu: false, folded: true).Residual(copy).Then("Relu");
        byte[] onnx = ResidualGraphTests.ClassifierOf4x6x6(g);

        Model model = AtBatchOneAndEight(onnx, [4, 6, 6]);

        Assert.Equal([(LayerKind.Conv2d, -1), (LayerKind.Add, 0), (LayerKind.Flatten, -1), (LayerKind.Dense, -1)], model.Layers.Select(Signature));
    }

    [Fact]
    public void AShapeOfTheChainsTensorStartsNoShortcut()
    {
        // A 12 → 3 → 6 low-rank product with x.view(x.size(0), -1) between its factors, as torch writes it with a dynamic
        // batch: the Shape reads the first factor's output, but only its dimensions, so that tensor needs not be an
        // activation and the pair stays one factorized layer.
        var g = new GraphBuilder([12], opset: 17);
        g.Then("MatMul", [g.Weights("u", [12, 3])]).Then("Reshape", [g.TorchViewShape([-1])]).Then("MatMul", [g.Weights("v", [3, 6])]);
        byte[] onnx = g.Build(6);

        Model model = AtBatchOneAndEight(onnx, [12]);

        Assert.Equal([(LayerKind.FactorizedDense, -1)], model.Layers.Select(Signature));
    }

    /// <summary>Imports <paramref name="onnx"/>, requiring ONNX Runtime's outputs at batch 1 and at batch 8.</summary>
    private Model AtBatchOneAndEight(byte[] onnx, int[] sample)
    {
        Compare.ImportAndCompare(onnx, sample, batch: 1, output: output);
        return Compare.ImportAndCompare(onnx, sample, batch: 8, output: output);
    }
}
