using Google.Protobuf;
using Onnx;
using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;
using static EdgeLowRank.Onnx.Tests.ResNetGraphs;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Files as ONNX Runtime's quantize_dynamic writes them (<see cref="QuantizeDynamicRewrite"/>) where one tensor feeds
/// several MatMuls or Convs, so one DynamicQuantizeLinear feeds several products: a ResNet block's input (its first Conv and its
/// downsample), a Fire module's squeeze (its expands, joined by a Concat), a vector read by two MatMuls joined by an Add; and an
/// MLP where nothing is shared. Each product is imported as a dynamic layer of its own, on its own path, and the runtime on the
/// import agrees with ONNX Runtime on the file one sample at a time (batch 1, where ONNX's one scale per tensor is the
/// runtime's per sample) within 1e-6 of the largest output. Forms that are not such products are refused, naming the node.</summary>
public sealed class SharedQuantizationTests(ITestOutputHelper output)
{
    /// <summary>Imports <paramref name="onnx"/> and requires ONNX Runtime's outputs sample by sample; every matrix layer but
    /// those <paramref name="f32"/> counts (Gemms, which quantize_dynamic leaves f32) must quantize its inputs as it runs.</summary>
    private Model ImportAndCompare(byte[] onnx, string what, int f32 = 0)
    {
        Model model = OnnxImporter.Import(onnx);
        Layer[] matrices = model.Layers.Where(l => l.WeightMatrices.Count > 0).ToArray();
        Assert.Equal(matrices.Length - f32, matrices.Count(l => l.InputQuantization == InputQuantization.Dynamic));
        double largest = Compare.SampleBySample(model, onnx, OrtQuantizeDynamicTests.Samples(model.InputShape.ElementCount), 1e-6);
        output.WriteLine($"{what}: largest |ONNX Runtime − runtime| / largest |output| = {largest:G3} at batch 1");
        return model;
    }

    /// <summary>How many products each DynamicQuantizeLinear of <paramref name="onnx"/> feeds, in node order.</summary>
    private static int[] ProductsPerQuantization(byte[] onnx)
    {
        GraphProto graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        return graph.Node.Where(n => n.OpType == "DynamicQuantizeLinear").Select(q => ProductsOf(graph, q).Length).ToArray();
    }

    /// <summary>A 3×12×12 image → conv1 3×3 to 8, Relu → torchvision's BasicBlock of stride 2 to 16 with a downsample (a
    /// projection: conv1 and the downsample read the block's input) → a BasicBlock of 16 (an identity shortcut) → GlobalAveragePool
    /// → Flatten → MatMul + Add to 10: the batch normalizations folded into the Convs' biases (an int8 kernel takes none).</summary>
    private static byte[] ResNetBlocks(bool downsampleFirst, List<(LayerKind Kind, int Source)> expected)
    {
        var g = new GraphBuilder([3, 12, 12], opset: 17);
        g.ConvBn("conv1", [8, 3, 3, 3], relu: true, folded: true, heScaled: true);
        expected.Add((LayerKind.Conv2d, -1));
        BasicBlock(g, "layer2.0", 8, 16, 2, folded: true, downsampleFirst, expected);
        BasicBlock(g, "layer2.1", 16, 16, 1, folded: true, downsampleFirst, expected);
        g.Then("GlobalAveragePool").Then("Flatten", Int("axis", 1))
            .Then("MatMul", [g.Weights("fc.weight", [16, 10], scale: 0.25f)]).Then("Add", [g.Weights("fc.bias", [10], scale: 0.1f)]);
        expected.AddRange([(LayerKind.AvgPool2d, -1), (LayerKind.Flatten, -1), (LayerKind.Dense, -1)]);
        return QuantizeDynamicRewrite.Apply(g.Build(10), new QuantizeDynamicRewrite.Options());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AProjectionBlocksInputQuantizedOnceForItsFirstConvAndItsDownsample(bool downsampleFirst)
    {
        var expected = new List<(LayerKind Kind, int Source)>();
        byte[] onnx = ResNetBlocks(downsampleFirst, expected);
        // The image, the projection block's input (conv1 and the downsample), conv2's input, the identity block's convs, fc.
        Assert.Equal([1, 2, 1, 1, 1, 1], ProductsPerQuantization(onnx));

        using Model model = ImportAndCompare(onnx, $"ResNet blocks, downsample {(downsampleFirst ? "first" : "last")}");

        Assert.Equal(expected, model.Layers.Select(Signature));
    }

    /// <summary>A 3×10×10 image → conv1 3×3 of stride 2 to 8, Relu → squeeze 1×1 to 4, Relu → one expand per kernel size in
    /// <paramref name="expands"/> (6 channels each, Relu), each reading the squeeze, then a Concat of them in that order →
    /// Flatten → MatMul + Add to 10. SqueezeNet's Fire module has the 1×1 and the 3×3 expand.</summary>
    private static byte[] Fire(int[] expands)
    {
        var g = new GraphBuilder([3, 10, 10], opset: 17);
        string squeeze = g.ConvBn("conv1", [8, 3, 3, 3], relu: true, folded: true, stride: 2, heScaled: true)
            .ConvBn("fire.squeeze", [4, 8, 1, 1], relu: true, folded: true, heScaled: true).Current;
        string[] paths = expands.Select(k => g.From(squeeze).ConvBn($"fire.expand{k}x{k}", [6, 4, k, k], relu: true, folded: true, heScaled: true).Current).ToArray();
        g.Of("Concat", paths, Int("axis", 1)).Then("Flatten", Int("axis", 1))
            .Then("MatMul", [g.Weights("fc.weight", [6 * expands.Length * 25, 10], scale: 0.05f)]).Then("Add", [g.Weights("fc.bias", [10], scale: 0.1f)]);
        return QuantizeDynamicRewrite.Apply(g.Build(10), new QuantizeDynamicRewrite.Options());
    }

    [Theory]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 3, 1 })]
    [InlineData(new[] { 1, 3, 5 })]
    public void AFireModulesSqueezeQuantizedOnceForItsExpands(int[] expands)
    {
        byte[] onnx = Fire(expands);
        Assert.Equal([1, 1, expands.Length, 1], ProductsPerQuantization(onnx));

        using Model model = ImportAndCompare(onnx, $"Fire, expands {string.Join(", ", expands.Select(k => $"{k}×{k}"))}");

        // conv1 (1), the squeeze (2), the first expand (3); each later one after a Branch back to the squeeze; the Concats.
        int paths = expands.Length;
        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Conv2d, .. Enumerable.Repeat(new[] { LayerKind.Branch, LayerKind.Conv2d }, paths - 1).SelectMany(p => p),
            .. Enumerable.Repeat(LayerKind.Concat, paths - 1), LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.All(model.Layers.OfType<BranchLayer>(), b => Assert.Equal(2, b.Source));
    }

    /// <summary>x → MatMul → Relu → h, then MatMul(h) + MatMul(h): two products of one vector, which quantize_dynamic quantizes once.</summary>
    [Fact]
    public void AVectorQuantizedOnceForTwoMatMulsJoinedByAnAdd()
    {
        var g = new GraphBuilder([8]);
        g.Then("MatMul", [g.Weights("w1", [8, 8])]).Then("Relu");
        string h = g.Current;
        g.Then("MatMul", [g.Weights("w2", [8, 8])]);
        string a = g.Current;
        g.From(h).Then("MatMul", [g.Weights("w3", [8, 8])]).Residual(a);
        byte[] onnx = QuantizeDynamicRewrite.Apply(g.Build(8), new QuantizeDynamicRewrite.Options());
        Assert.Equal([1, 2], ProductsPerQuantization(onnx));

        using Model model = ImportAndCompare(onnx, "two MatMuls of one vector");

        Assert.Equal([(LayerKind.Dense, -1), (LayerKind.Dense, -1), (LayerKind.Branch, 1), (LayerKind.Dense, -1), (LayerKind.Add, 2)], model.Layers.Select(Signature));
    }

    /// <summary>An MLP, 20 → 16 → 12 → 10 with Relus, per channel: no tensor feeds two products.</summary>
    [Fact]
    public void AnMlpWhoseTensorsEachFeedOneProduct()
    {
        var g = new GraphBuilder([20]);
        foreach ((long inputs, long outputs, int i) in new[] { (20L, 16L, 1), (16, 12, 2), (12, 10, 3) })
        {
            g.Then("MatMul", [g.Weights($"fc{i}.weight", [inputs, outputs], scale: 1 / MathF.Sqrt(inputs))]).Then("Add", [g.Weights($"fc{i}.bias", [outputs], scale: 0.1f)]);
            if (i < 3) g.Then("Relu");
        }
        byte[] onnx = QuantizeDynamicRewrite.Apply(g.Build(10), new QuantizeDynamicRewrite.Options(PerChannel: true));
        Assert.Equal([1, 1, 1], ProductsPerQuantization(onnx));

        using Model model = ImportAndCompare(onnx, "MLP");

        Assert.Equal([LayerKind.Dense, LayerKind.Dense, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    /// <summary>The Fire module (1×1 and 3×3 expands) altered one way each around its shared DynamicQuantizeLinear: refused,
    /// naming the node, what it found and what it expected.</summary>
    public static TheoryData<string, string> Alterations => new()
    {
        { "the shared values read by a Relu too",
            "node 16 'n3.Relu_QuantizeLinear' (DynamicQuantizeLinear): its values 'n3.Relu_quantized' go to node 17 'n4.Conv_quant' (ConvInteger), "
            + "node 18 'spy' (Relu), node 25 'n6.Conv_quant' (ConvInteger); expected MatMulInteger or ConvInteger nodes only" },
        { "the 3×3 expand's zero point the image's",
            "node 0 'x_QuantizeLinear' (DynamicQuantizeLinear): its zero point 'x_zero_point' goes to node 1 'n0.Conv_quant' (ConvInteger), node 24 "
            + "'n6.Conv_quant' (ConvInteger); expected only the products that take its values (node 1 'n0.Conv_quant' (ConvInteger))" },
        { "the 3×3 expand's scales Mul of the image's scale",
            "node 0 'x_QuantizeLinear' (DynamicQuantizeLinear): its scale 'x_scale' goes to node 3 'n0.Conv_quant_scales_mul' (Mul), node 26 "
            + "'n6.Conv_quant_scales_mul' (Mul); expected one Mul by the weights' scales for each product that takes its values (node 3 'n0.Conv_quant_scales_mul' (Mul))" },
        { "the shared values as the 3×3 expand's weights",
            "node 16 'n3.Relu_QuantizeLinear' (DynamicQuantizeLinear): the ConvInteger 'n6.Conv_quant' takes ('fire.expand3x3.weight_quantized', "
            + "'n3.Relu_quantized', 'n3.Relu_zero_point', 'fire.expand3x3.weight_zero_point'); expected its values 'n3.Relu_quantized' as x and its zero point "
            + "'n3.Relu_zero_point' as x_zero_point" },
    };

    [Theory, MemberData(nameof(Alterations))]
    public void AnAlteredSharedFormIsRefusedWithWhatWasExpected(string alteration, string expected)
    {
        ModelProto proto = ModelProto.Parser.ParseFrom(Fire([1, 3]));
        GraphProto graph = proto.Graph;
        NodeProto shared = graph.Node.Single(n => n.OpType == "DynamicQuantizeLinear" && ProductsOf(graph, n).Length == 2);
        NodeProto image = graph.Node.First(n => n.OpType == "DynamicQuantizeLinear");
        NodeProto threeByThree = ProductsOf(graph, shared)[1];
        switch (alteration)
        {
            case "the shared values read by a Relu too":
                graph.Node.Insert(graph.Node.IndexOf(ProductsOf(graph, shared)[0]) + 1, new NodeProto { OpType = "Relu", Name = "spy", Input = { shared.Output[0] }, Output = { "spy" } });
                break;
            case "the 3×3 expand's zero point the image's":
                threeByThree.Input[2] = image.Output[2];
                break;
            case "the 3×3 expand's scales Mul of the image's scale":
                NodeProto scales = graph.Node.Single(n => n.Name == threeByThree.Name + "_scales_mul");
                scales.Input[scales.Input.IndexOf(shared.Output[1])] = image.Output[1];
                break;
            case "the shared values as the 3×3 expand's weights":
                (threeByThree.Input[0], threeByThree.Input[1]) = (threeByThree.Input[1], threeByThree.Input[0]);
                break;
        }

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(proto.ToByteArray()));

        output.WriteLine(e.Message);
        Assert.Contains(expected, e.Message);
    }

    /// <summary>The MatMulInteger and ConvInteger nodes that read <paramref name="quantize"/>'s values, in order.</summary>
    private static NodeProto[] ProductsOf(GraphProto graph, NodeProto quantize) =>
        graph.Node.Where(n => n.OpType is "MatMulInteger" or "ConvInteger" && n.Input.Contains(quantize.Output[0])).ToArray();
}
