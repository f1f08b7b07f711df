using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>A Squeeze of axes of size 1 (<c>x.squeeze()</c> or <c>torch.squeeze(x, (2, 3))</c> after a global average pooling;
/// TF converters' before the classifier; <c>x.squeeze(-1).squeeze(-1)</c>), in each opset's form, imported as a flatten (or
/// as nothing) and run against ONNX Runtime at batch 1 and 4; the Squeezes the runtime's tensors do not take are refused,
/// each message checked.</summary>
public sealed class SqueezeGraphTests(ITestOutputHelper output)
{
    private static readonly LayerKind[] Classifier = [LayerKind.Conv2d, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense];

    [Theory]
    [InlineData(9, "attribute")]        // axes (2, 3), an attribute before opset 13
    [InlineData(11, "attribute")]       // axes (-1, -2): negative from opset 11
    [InlineData(13, "initializer")]     // axes an input from opset 13
    [InlineData(13, "Constant")]        // ... a Constant node, as torch.onnx.export without constant folding writes it
    [InlineData(11, "none")]            // x.squeeze(): every axis of size 1 but the batch
    [InlineData(13, "none")]
    public void AfterAGlobalAveragePool(int opset, string axes)
    {
        var g = new GraphBuilder([3, 5, 5], opset);
        g.ConvBn("conv", [6, 3, 3, 3], relu: true, folded: true).Then("GlobalAveragePool");
        switch (axes)
        {
            case "attribute": g.Then("Squeeze", Ints("axes", opset < 11 ? [2, 3] : [-1, -2])); break;
            case "initializer": g.Then("Squeeze", [Int64Initializer(g.Graph, "axes", [2, 3], 2)]); break;
            case "Constant": g.Then("Squeeze", [g.Int64Constant("axes", [3, 2], 2)]); break;
            default: g.Then("Squeeze"); break;
        }
        // Without axes, ONNX squeezes the batch too when it is 1 (6 features, not 1 × 6); the MatMul of either gives the same numbers.
        g.Then("MatMul", [g.Weights("fc.w", [6, 4])]).Then("Add", [g.Weights("fc.b", [4])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [3, 5, 5], output);

        Assert.Equal(Classifier, model.Layers.Select(l => l.Kind));
    }

    /// <summary><c>x.squeeze(-1).squeeze(-1)</c>: batch × C × 1 between the two Squeezes, which only the second reads.</summary>
    [Theory]
    [InlineData(11)]   // axes as attributes
    [InlineData(13)]   // axes as inputs
    public void TwoSqueezesOfAPixel(int opset)
    {
        var g = new GraphBuilder([3, 5, 5], opset);
        g.ConvBn("conv", [6, 3, 3, 3], relu: true, folded: true).Then("GlobalAveragePool");
        for (int i = 0; i < 2; i++)
            if (opset < 13) g.Then("Squeeze", Ints("axes", -1));
            else g.Then("Squeeze", [Int64Initializer(g.Graph, $"axes{i}", [-1], 1)]);
        g.Then("Gemm", [g.Weights("fc.w", [4, 6]), g.Weights("fc.b", [4])], Int("transB", 1));

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [3, 5, 5], output);

        Assert.Equal(Classifier, model.Layers.Select(l => l.Kind));
    }

    /// <summary>An image transposed to channels-last, batch × 1 × 1 × C, squeezed at its axes 1 and 2 (as a TF converter's
    /// graph holds an image).</summary>
    [Fact]
    public void AChannelsLastImage()
    {
        var g = new GraphBuilder([3, 5, 5], opset: 13);
        g.ConvBn("conv", [6, 3, 3, 3], relu: true, folded: true).Then("GlobalAveragePool").Then("Transpose", Ints("perm", 0, 2, 3, 1))
            .Then("Squeeze", [Int64Initializer(g.Graph, "axes", [1, 2], 2)]).Then("Gemm", [g.Weights("fc.w", [4, 6]), g.Weights("fc.b", [4])], Int("transB", 1));

        Model model = Compare.ImportAndCompare(g.Build(4), [3, 5, 5], batch: 4, output: output);

        Assert.Equal(Classifier, model.Layers.Select(l => l.Kind));
    }

    /// <summary>A Squeeze without axes of a vector that has none of size 1 leaves it as it is: no layer, and the ReLU after it
    /// still joins the Gemm before it.</summary>
    [Fact]
    public void AVectorWithoutAxesOfSizeOneIsNothing()
    {
        var g = new GraphBuilder([8], opset: 13);
        g.Then("Gemm", [g.Weights("w", [8, 6]), g.Weights("b", [6])]).Then("Squeeze").Then("Relu").Then("MatMul", [g.Weights("w2", [6, 3])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(3), [8], output);

        Assert.Equal([LayerKind.Dense, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.Relu, model.Layers[0].Activation);
    }

    public static TheoryData<string, string> Refused => Refusals.Cases(Graphs);

    [Theory, MemberData(nameof(Refused))]
    public void IsRefusedWithAMessage(string name, string expected) => Refusals.Check(Graphs, name, expected);

    private static readonly Dictionary<string, (Func<byte[]> Build, string Message)> Graphs = new()
    {
        ["an axis of size 5"] = (() => Squeezed(Pooled(13, pool: false), 2, 3).Build(4),
            "node 3 'n3.Squeeze' (Squeeze): its axes (2, 3) squeeze axis 2 of the batch × 6 × 5 × 5 tensor, of size 5; a Squeeze removes only axes of size 1"),
        ["the batch axis"] = (() => Squeezed(Pooled(13), 0, 2, 3).Build(4),
            "node 3 'n3.Squeeze' (Squeeze): its axes (0, 2, 3) squeeze the batch (axis 0) of the batch × 6 × 1 × 1 tensor; the runtime keeps the batch as a "
            + "dimension of its own, whatever its size."),
        ["the batch axis counted from the end"] = (() => Squeezed(Pooled(13), -4).Build(4), "its axes (-4) squeeze the batch (axis 0)"),
        ["a graph ending on a pixel squeezed part way"] = (() => Squeezed(Pooled(13), 3).Build(4),
            "the graph ends on 'n3.Squeeze', squeezed to batch × 6 × 1: squeeze it to a vector (batch × classes)."),
        ["a pixel squeezed part way, then a Relu"] = (() => Squeezed(Pooled(13), 3).Then("Relu").Build(4),
            "node 4 'n4.Relu' (Relu): it reads 'n3.Squeeze', squeezed to batch × 6 × 1, which the runtime has no tensor of and only a Squeeze to a vector may read;"),
        ["a pixel squeezed part way, read by two Squeezes"] = (() =>
        {
            var g = Squeezed(Pooled(13), 3);
            string half = g.Current, a = Squeezed(g, 2).Current;
            return Squeezed(g.From(half), -1).Residual(a).Build(6);
        }, "node 5 'n5.Squeeze' (Squeeze): it reads 'n3.Squeeze', an earlier tensor of the chain, not the chain's tensor 'n4.Squeeze', and 'n3.Squeeze' is "
            + "squeezed to batch × 6 × 1, which the runtime has no tensor of; read the tensor before the Squeeze or after the one that makes it a vector."),
        ["a row squeezed to two axes longer than 1"] = (() =>
        {
            var g = new GraphBuilder([3, 3, 5], opset: 13);
            return Squeezed(g.Then("Conv", [g.Weights("w", [6, 3, 3, 3])]), 2).Build(18);
        }, "node 1 'n1.Squeeze' (Squeeze): its axes (2) leave batch × 6 × 3, which no Squeeze makes a vector; the runtime's tensors are images "
            + "(batch × C × H × W) and vectors (batch × n)."),
        ["every axis of a vector of one"] = (() =>
        {
            var g = new GraphBuilder([8], opset: 13);
            return g.Then("Gemm", [g.Weights("w", [8, 1]), g.Weights("b", [1])]).Then("Squeeze").Build(1);
        }, "node 1 'n1.Squeeze' (Squeeze): it squeezes every axis of the batch × 1 tensor, leaving the batch alone (a shape of batch, not batch × 1)"),
        ["an axis out of range"] = (() => Squeezed(Pooled(13), 2, 4).Build(4),
            "node 3 'n3.Squeeze' (Squeeze): its axes (2, 4) do not name distinct axes of the batch × 6 × 1 × 1 tensor (from -4 to 3, each once)."),
        ["an axis twice"] = (() => Squeezed(Pooled(13), 2, -2).Build(4), "its axes (2, -2) do not name distinct axes"),
        ["axes computed in the graph"] = (() => Pooled(13).Then("Squeeze", ["n9.computed"]).Build(4),
            "node 3 'n3.Squeeze' (Squeeze): its input axes ('n9.computed') is computed in the graph; the import takes it only as a constant"),
        ["axes as an attribute at opset 13"] = (() => Pooled(13).Then("Squeeze", Ints("axes", 2, 3)).Build(4),
            "node 3 'n3.Squeeze' (Squeeze): it gives axes as an attribute; at opset 13, the model's, Squeeze takes (data, axes?), and (data) before opset 13, "
            + "axes an input (an attribute before opset 13)."),
        ["axes as an input at opset 12"] = (() => Squeezed(Pooled(12), 2, 3).Build(4),
            "node 3 'n3.Squeeze' (Squeeze): it has 2 inputs ('n2.GlobalAveragePool', 'axes'); at opset 12, the model's, Squeeze takes (data), and (data, axes?) "
            + "from opset 13."),
    };

    /// <summary>A 3 × 5 × 5 image through a 3×3 Conv to 6 channels, a Relu and (with <paramref name="pool"/>) a GlobalAveragePool.</summary>
    private static GraphBuilder Pooled(int opset, bool pool = true)
    {
        var g = new GraphBuilder([3, 5, 5], opset);
        g.ConvBn("conv", [6, 3, 3, 3], relu: true, folded: true);
        return pool ? g.Then("GlobalAveragePool") : g.Then("Identity");
    }

    /// <summary>A Squeeze of <paramref name="g"/>'s tensor at <paramref name="axes"/>, an input (opset 13's form, refused before).</summary>
    private static GraphBuilder Squeezed(GraphBuilder g, params long[] axes) =>
        g.Then("Squeeze", [Int64Initializer(g.Graph, "axes", axes, axes.Length)]);
}
