using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>ONNX's empty input name, an optional input left out: taken where the operator has that optional input (its
/// default applies) and checked against ONNX Runtime on the same file; refused, naming the node, the operator, the position
/// and what it expects, where the input is required or the operator has none.</summary>
public sealed class EmptyInputNameTests
{
    [Fact]
    public void AClipWithoutAnUpperBoundIsARelu()
    {
        var g = Mlp();
        g.Then("Clip", [Initializer(g.Graph, "min", [0f]), ""]);

        Model model = Compare.ImportAndCompare(g.Build(10), [20]);

        Assert.Equal([LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.Relu, model.Layers[0].Activation);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AClipWithNeitherBoundChangesNothing(bool emptyNames)
    {
        // ONNX Runtime runs Clip(x) and Clip(x, "", "") as the tensor itself; a verification trial's was refused as Clip(-∞, +∞).
        var g = Mlp();
        string[] bounds = emptyNames ? ["", ""] : [];
        g.Then("Clip", bounds);

        Model model = Compare.ImportAndCompare(g.Build(10), [20]);

        Assert.Equal([LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.None, model.Layers[0].Activation);
    }

    [Fact]
    public void AClipWithoutALowerBoundAfterAReluIsAReluSix()
    {
        // torch.clamp(x.relu(), max=6): the Relu's output is never below 0, so Clip(x, "", 6) is ReLU6 there.
        var g = Mlp(scale: 20);
        g.Then("Relu").Then("Clip", ["", Initializer(g.Graph, "max", [6f])]);

        Model model = Compare.ImportAndCompare(g.Build(10), [20]);

        Assert.Equal([LayerKind.Dense, LayerKind.Relu6], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void AClipWithoutALowerBoundOfAnyTensorIsRefused()
    {
        var g = Mlp();
        g.Then("Clip", ["", Initializer(g.Graph, "max", [6f])]);

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(g.Build(10)));

        Assert.Contains("node 1 'n1.Clip' (Clip): Clip(-∞, 6) has no runtime layer", e.Message);
    }

    [Fact]
    public void DropoutGemmAndConvWithTheirOptionalInputsLeftOut()
    {
        var g = new GraphBuilder([2, 5, 5]);
        g.Then("Conv", [g.Weights("c.w", [3, 2, 3, 3]), ""])
            .Then("Dropout", ["", ""])
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc.w", [27, 4]), ""]);

        Model model = Compare.ImportAndCompare(g.Build(4), [2, 5, 5]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void ASliceWithItsStepsLeftOut()
    {
        var g = new GraphBuilder([4, 3, 3]);
        g.ConvBn("stem", [5, 4, 3, 3], relu: true, folded: true)
            .Then("Slice", [Int64Initializer(g.Graph, "s", [1], 1), Int64Initializer(g.Graph, "e", [4], 1), Int64Initializer(g.Graph, "a", [1], 1), ""])
            .Then("Flatten")
            .Then("MatMul", [g.Weights("fc", [27, 3])]);

        Model model = Compare.ImportAndCompare(g.Build(3), [4, 3, 3]);

        Assert.Equal((1, 3), model.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)).Single());
    }

    [Fact]
    public void AReluWithAnEmptySecondInputIsRefusedAsOnnxRuntimeRefusesIt()
    {
        // ONNX counts an empty name as an input: Relu takes one, and ONNX Runtime's check of the node refuses it.
        byte[] onnx = Mlp().Then("Relu", [""]).Build(10);

        Assert.ThrowsAny<Exception>(() => OrtRunner.Run(onnx, new float[20], [1, 20]));
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx));

        Assert.Contains("node 1 'n1.Relu' (Relu): it has 2 inputs ('n0.Gemm', ''); at opset 13, the model's, Relu takes (X). An empty name stands for "
            + "an optional input left out, and Relu has no optional input there; ONNX counts the empty name as an input.", e.Message);
    }

    [Fact]
    public void AnEmptyNameInARequiredPositionIsRefused()
    {
        var g = new GraphBuilder([2, 5, 5]);
        byte[] onnx = g.Then("Conv", ["", g.Weights("c.b", [3])]).Build(75);

        Assert.ThrowsAny<Exception>(() => OrtRunner.Run(onnx, new float[50], [1, 2, 5, 5]));
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx));

        Assert.Contains("node 0 'n0.Conv' (Conv): its input 1 (counting from 0) has an empty name, in the place of W, which Conv requires "
            + "(at opset 13, the model's, Conv takes (X, W, B?))", e.Message);
    }

    [Fact]
    public void AnEmptyNameAmongAConcatsInputsIsRefused()
    {
        var g = new GraphBuilder([2, 5, 5]);
        string x = g.ConvBn("c", [3, 2, 3, 3], relu: true, folded: true).Current;

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(g.Of("Concat", [x, ""], Int("axis", 1)).Build(150)));

        Assert.Contains("its input 1 (counting from 0) has an empty name, in the place of one of its inputs, which Concat requires", e.Message);
    }

    /// <summary>A 20 → 10 Gemm (its weights times <paramref name="scale"/>) to build on.</summary>
    private static GraphBuilder Mlp(float scale = 1)
    {
        var g = new GraphBuilder([20]);
        return g.Then("Gemm", [g.Weights("w", [20, 10], scale: scale), g.Weights("b", [10])]);
    }
}
