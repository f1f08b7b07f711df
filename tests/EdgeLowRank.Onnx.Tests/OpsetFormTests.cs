using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>An operator's inputs as the model's declared opset defines them: a parameter that moved from an attribute to an
/// input (Clip's bounds at 11, Unsqueeze's axes and Split's sizes at 13, ReduceMean's axes at 18) is read in the form of that
/// opset, and a node in the other form is refused with a message naming the opset.</summary>
public sealed class OpsetFormTests
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var (name, graph) in Graphs) cases.Add(name, graph.Message);
            return cases;
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void TheOtherFormIsRefused(string name, string expected)
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Graphs[name].Build()));

        Assert.Contains(expected, e.Message);
    }

    private static readonly Dictionary<string, (Func<byte[]> Build, string Message)> Graphs = new()
    {
        ["Clip's bounds as inputs at opset 10"] = (() =>
        {
            var g = Mlp(10);
            return g.Then("Clip", [Initializer(g.Graph, "min", [0f]), Initializer(g.Graph, "max", [6f])]).Build(10);
        }, "node 1 'n1.Clip' (Clip): it has 3 inputs ('n0.Gemm', 'min', 'max'); at opset 10, the model's, Clip takes (input), and (input, min?, max?) from opset 11."),
        ["Clip's bounds as attributes at opset 11"] = (() => Mlp(11).Then("Clip", Float("min", 0), Float("max", 6)).Build(10),
            "node 1 'n1.Clip' (Clip): it gives min as an attribute; at opset 11, the model's, Clip takes (input, min?, max?), and (input) before opset 11, "
            + "min an input (an attribute before opset 11)."),
        ["Unsqueeze's axes as an input at opset 12"] = (() =>
        {
            var g = Mlp(12);
            return g.Then("Unsqueeze", [Int64Initializer(g.Graph, "axes", [2, 3], 2)]).Build(10);
        }, "Unsqueeze takes (data), and (data, axes) from opset 13."),
        ["Unsqueeze's axes as an attribute at opset 13"] = (() => Mlp(13).Then("Unsqueeze", Ints("axes", 2, 3)).Build(10),
            "it has 1 input ('n0.Gemm'); at opset 13, the model's, Unsqueeze takes (data, axes), and (data) before opset 13."),
        ["ReduceMean's axes as an input at opset 17"] = (() =>
        {
            var g = Image(17);
            return g.Then("ReduceMean", [Int64Initializer(g.Graph, "axes", [2, 3], 2)]).Build(3);
        }, "at opset 17, the model's, ReduceMean takes (data), and (data, axes?) from opset 18."),
        ["ReduceMean's axes as an attribute at opset 18"] = (() => Image(18).Then("ReduceMean", Ints("axes", 2, 3)).Build(3),
            "it gives axes as an attribute; at opset 18, the model's, ReduceMean takes (data, axes?), and (data) before opset 18, axes an input (an attribute before opset 18)."),
        ["Split's sizes as an attribute at opset 13"] = (() => Image(13).Then("Split", Int("axis", 1), Ints("split", 1, 2)).Build(3),
            "it gives split as an attribute; at opset 13, the model's, Split takes (input, split?)"),
        ["Slice's bounds as inputs at opset 9"] = (() =>
        {
            var g = Image(9);
            return g.Then("Slice", [Int64Initializer(g.Graph, "s", [0], 1), Int64Initializer(g.Graph, "e", [1], 1)]).Build(3);
        }, "at opset 9, the model's, Slice takes (data), and (data, starts, ends, axes?, steps?) from opset 10."),
        ["a Gemm without its bias at opset 9"] = (() =>
        {
            var g = new GraphBuilder([20], opset: 9);
            return g.Then("Gemm", [g.Weights("w", [20, 10])]).Build(10);
        }, "it has 2 inputs ('x', 'w'); at opset 9, the model's, Gemm takes (A, B, C), and (A, B, C?) from opset 11."),
        ["HardSwish at opset 13"] = (() => Mlp(13).Then("HardSwish").Build(10),
            "node 1 'n1.HardSwish' (HardSwish): HardSwish is an operator from opset 14; the model declares opset 13, which has none."),
        ["BatchNormalization's five outputs at opset 14"] = (() =>
        {
            var g = Image(14);
            g.Then("BatchNormalization", [g.Weights("s", [3]), g.Weights("b", [3]), g.Weights("m", [3]), g.Weights("v", [3], positive: true)]);
            g.Graph.Node[^1].Output.AddRange(["m1", "v1", "sm", "sv"]);
            return g.Build(3);
        }, "it has 5 outputs ('n1.BatchNormalization', 'm1', 'v1', 'sm', 'sv'); at opset 14, the model's, BatchNormalization takes at most 3"),
    };

    [Theory]
    [InlineData(10)]   // min and max attributes
    [InlineData(11)]   // inputs
    public void AClipInTheFormOfItsOpset(int opset)
    {
        var g = Mlp(opset);
        if (opset < 11) g.Then("Clip", Float("min", 0), Float("max", 6));
        else g.Then("Clip", [Initializer(g.Graph, "min", [0f]), Initializer(g.Graph, "max", [6f])]);

        Model model = Compare.ImportAndCompare(g.Build(10), [20]);

        Assert.Equal([LayerKind.Dense, LayerKind.Relu6], model.Layers.Select(l => l.Kind));
    }

    /// <summary>A 20 → 10 Gemm with a bias (opset 9's Gemm requires one), weights up to ±10, to build on.</summary>
    private static GraphBuilder Mlp(int opset)
    {
        var g = new GraphBuilder([20], opset);
        return g.Then("Gemm", [g.Weights("w", [20, 10], scale: 10), g.Weights("b", [10])]);
    }

    /// <summary>A 3-channel 4 × 4 image through a 1×1 Conv, to build on.</summary>
    private static GraphBuilder Image(int opset)
    {
        var g = new GraphBuilder([3, 4, 4], opset);
        return g.Then("Conv", [g.Weights("c", [3, 3, 1, 1])]);
    }
}
