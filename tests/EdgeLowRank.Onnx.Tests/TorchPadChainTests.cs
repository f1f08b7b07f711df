using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>nn.ZeroPad2d and F.pad before a Conv as torch.onnx.export (1.13) writes them from opset 11: the Pad's pads
/// computed from constants by a chain of nodes (<see cref="GraphBuilder.TorchPads"/>), which the import evaluates, folding
/// the Pad into the Conv; run against ONNX Runtime at batch 1 and 3. The Pads the runtime cannot do are refused with the
/// message a Pad of constant pads gets, and pads computed from the input with one that says they must be constant.</summary>
public sealed class TorchPadChainTests(ITestOutputHelper output)
{
    /// <summary>A trial's refusal (opsets 11, 13, 14 and 17 alike): "node 2 '/pad/ConstantOfShape' (ConstantOfShape): the
    /// operator ConstantOfShape is not supported".</summary>
    [Theory]
    [InlineData(11, "nn.ZeroPad2d(1)", new long[] { 1, 1, 1, 1 })]
    [InlineData(13, "nn.ZeroPad2d(1)", new long[] { 1, 1, 1, 1 })]
    [InlineData(14, "nn.ZeroPad2d(1)", new long[] { 1, 1, 1, 1 })]
    [InlineData(17, "nn.ZeroPad2d(1)", new long[] { 1, 1, 1, 1 })]
    [InlineData(13, "F.pad", new long[] { 2, 2, 2, 2 })]
    [InlineData(17, "F.pad", new long[] { 2, 2, 2, 2 })]
    [InlineData(13, "F.pad", new long[] { 1, 1, 1, 1, 0, 0, 0, 0 })]   // every axis's pads: a ConstantOfShape of no zeros
    [InlineData(13, "F.pad", new long[] { 1, 2, 0, 1 })]               // left 1, right 2, top 0, bottom 1
    public void TheChainsPadsAreEvaluatedAndThePadFoldedIntoTheConv(int opset, string module, long[] torchPads)
    {
        bool zeroPad2d = module.StartsWith("nn.", StringComparison.Ordinal);
        // torch's pads run from the last axis: (left, right, top, bottom); a kernel wider than the widest side's.
        var padding = new WindowPadding((int)torchPads[2], (int)torchPads[0], (int)torchPads[3], (int)torchPads[1]);
        int kernel = 2 * (int)torchPads.Max() + 1;
        var window = new ConvolutionGeometry(kernel, 1, padding);
        var g = new GraphBuilder([4, 6, 6], opset);
        string pads = g.TorchPads(torchPads, "/pad");
        // nn.ZeroPad2d gives its value, 0.0, as a Constant; F.pad without one leaves the input out.
        string value = zeroPad2d ? Node(g.Graph, "Constant", "/pad/Constant_8_output_0", [], FloatScalar(0)) : "";
        g.Then("Pad", [pads, value], String("mode", "constant")).Then("Conv", [g.Weights("w", [5, 4, kernel, kernel]), g.Weights("b", [5])])
            .Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));
        byte[] onnx = g.Build(window.OutputHeight(6) * window.OutputWidth(6) * 5);

        Compare.ImportAndCompare(onnx, [4, 6, 6], batch: 1, output: output);
        Model model = Compare.ImportAndCompare(onnx, [4, 6, 6], batch: 3, output: output);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));   // nothing of the chain or the Pad
        Assert.Equal(window, ((Conv2dLayer)model.Layers[0]).Geometry);
    }

    /// <summary>The other operators evaluated on constants, in a chain no exporter writes but each as ONNX defines it: a Slice
    /// of positive step dropping two entries, a Reshape to pairs, a Transpose without perm (the axes reversed: beginnings,
    /// then ends, for the axes in reverse), an Unsqueeze and a Squeeze (axes an attribute at opset 11, an input from 13), a
    /// Gather of the axes back in order (were it skipped, the Pad would pad the batch and be refused) and a Reshape to a vector.</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void OtherChainsOfConstantsAreEvaluatedToo(int opset)
    {
        var g = new GraphBuilder([4, 6, 6], opset);
        string Vector(string name, params long[] values) => Int64Initializer(g.Graph, name, values, values.Length);
        string[] AxesInput(string op) => opset < 13 ? [] : [Vector($"{op}.axes", 0)];
        AttributeProto[] axesAttribute = opset < 13 ? [Ints("axes", 0)] : [];
        string sliced = Node(g.Graph, "Slice", "sliced", [Vector("wide", 9, 9, 1, 1, 1, 1, 0, 0, 0, 0), Vector("start", 2), Vector("end", 100)]);
        string pairs = Node(g.Graph, "Reshape", "pairs", [sliced, Vector("pair", 4, 2)]);
        string reversed = Node(g.Graph, "Transpose", "reversed", [pairs]);   // (1, 1, 0, 0) twice: the width and height last
        string unsqueezed = Node(g.Graph, "Unsqueeze", "unsqueezed", [reversed, .. AxesInput("unsqueeze")], axesAttribute);
        string squeezed = Node(g.Graph, "Squeeze", "squeezed", [unsqueezed, .. AxesInput("squeeze")], axesAttribute);
        string ordered = Node(g.Graph, "Gather", "ordered", [squeezed, Vector("axes", 2, 3, 0, 1)], Int("axis", 1));
        string pads = Node(g.Graph, "Reshape", "pads", [ordered, Vector("flat", -1)]);
        g.Then("Pad", [pads]).Then("Conv", [g.Weights("w", [5, 4, 3, 3]), g.Weights("b", [5])]).Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));

        Model model = Compare.AtBatchOneAndFour(g.Build(6 * 6 * 5), [4, 6, 6], output);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));
        Assert.Equal(1, ((Conv2dLayer)model.Layers[0]).Geometry.Pads.Top);
    }

    public static TheoryData<string, string> Refused => Refusals.Cases(Graphs);

    [Theory, MemberData(nameof(Refused))]
    public void IsRefusedWithAMessage(string name, string expected) => Refusals.Check(Graphs, name, expected);

    private const string MustBeConstant = "the import folds a Pad into the Conv that reads it, so its pads must be constant: an initializer, a Constant node, "
        + "or computed from constants alone (as torch.onnx.export writes F.pad's pads). Pad by a fixed amount: nn.ZeroPad2d(p) with one p, or the Conv's own "
        + "padding=p, or export at opset 10, where a Pad's pads are an attribute.";

    private static readonly Dictionary<string, (Func<byte[]> Build, string Message)> Graphs = new()
    {
        ["F.pad(x, (1, 1, 1, 1), mode='reflect')"] = (() => PadThenConv([1, 1, 1, 1], String("mode", "reflect")),
            "node 15 'n15.Pad' (Pad): its mode is reflect (the pixels mirrored at the edge); the runtime pads only with zeros, inside a convolution"),
        ["F.pad(x, (x.size(2) // 28, 1, 1, 1)) with a dynamic batch: ConstantOfShape of a size from the input"] = (PaddedBySizeOfInput,
            "node 38 'n38.Pad' (Pad): its pads ('/Cast_3_output_0') are computed through node 25 '/ConstantOfShape_output_0' (ConstantOfShape), which is read "
            + "only on constants and here reads a tensor computed from the graph's input (its data, or a size the export left dynamic); " + MustBeConstant),
        ["pads holding the batch size"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string batch = g.TorchViewShape([0, 1, 1, 0, 0, 1, 1]);
            return g.Then("Pad", [batch]).Then("Conv", [g.Weights("w", [2, 4, 3, 3])]).Then("Flatten").Build(72);
        }, "node 7 'n7.Pad' (Pad): its pads ('/Concat_6_output_0') are computed in the graph from its input (its data, or a size the export left dynamic); "
            + MustBeConstant),
        ["a ConstantOfShape of float zeros in the chain"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string pads = g.TorchPads([1, 1, 1, 1]);
            g.Graph.Node[2].Attribute[0].T = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1 }, FloatData = { 0 } };
            return g.Then("Pad", [pads]).Then("Conv", [g.Weights("w", [2, 4, 3, 3])]).Then("Flatten").Build(72);
        }, "node 2 '/ConstantOfShape_output_0' (ConstantOfShape): the operator ConstantOfShape is not supported;"),
        ["a Gather of constants out of range"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string pads = Node(g.Graph, "Gather", "gathered", [Int64Initializer(g.Graph, "all", [0, 0, 1, 1, 0, 0, 1, 1], 8), Int64Initializer(g.Graph, "at", [8], 1)]);
            return g.Then("Pad", [pads]).Then("Conv", [g.Weights("w", [2, 4, 3, 3])]).Then("Flatten").Build(72);
        }, "node 0 'gathered' (Gather): an index (8) is outside the 8 entries of axis 0."),
    };

    /// <summary>A 4 × 6 × 6 image padded by torch's chain for F.pad(x, <paramref name="torchPads"/>) (no value: the input left
    /// out), then a 3×3 Conv to 2 channels.</summary>
    private static byte[] PadThenConv(long[] torchPads, params AttributeProto[] pad)
    {
        var g = new GraphBuilder([4, 6, 6], opset: 13);
        string pads = g.TorchPads(torchPads);
        AttributeProto[] mode = pad.Length > 0 ? pad : [String("mode", "constant")];
        string[] inputs = pad.Length > 0 ? [pads] : [pads, ""];   // torch leaves constant_value out of a reflect Pad, empty in a constant one
        return g.Then("Pad", inputs, mode).Then("Conv", [g.Weights("w", [2, 4, 3, 3])]).Then("Flatten").Build(1);
    }

    /// <summary>torch.onnx.export's graph (opset 13, dynamic batch) of F.pad(x, (x.size(2) // 28, 1, 1, 1)) before a Conv, node
    /// for node: the height taken from the input's shape, so the zeros for the batch and channels are a ConstantOfShape of
    /// 8 − the pads' length, a size computed in the graph.</summary>
    private static byte[] PaddedBySizeOfInput()
    {
        var g = new GraphBuilder([4, 6, 6], opset: 13);
        var graph = g.Graph;
        string Scalar(string name, long value) => g.Int64Constant(name, [value]);
        string Vector(string name, params long[] values) => g.Int64Constant(name, values, values.Length);
        string shape = Node(graph, "Shape", "/Shape_output_0", ["x"]);
        string height = Node(graph, "Gather", "/Gather_output_0", [shape, Scalar("/Constant_output_0", 2)], Int("axis", 0));
        string divided = Node(graph, "Div", "/Div_output_0", [height, Scalar("/Constant_1_output_0", 28)]);
        string cast = Node(graph, "Cast", "/Cast_1_output_0", [Node(graph, "Cast", "/Cast_output_0", [divided], Int("to", 7))], Int("to", 7));
        string first = Node(graph, "Concat", "/Concat_output_0", [Node(graph, "Unsqueeze", "/Unsqueeze_output_0", [cast, Vector("onnx::Unsqueeze_13", 0)]),
            Vector("/Constant_2_output_0", 1), Vector("/Constant_3_output_0", 1), Vector("/Constant_4_output_0", 1)], Int("axis", 0));
        string second = Node(graph, "Concat", "/Concat_1_output_0", [Node(graph, "Unsqueeze", "/Unsqueeze_1_output_0", [cast, Vector("onnx::Unsqueeze_22", 0)]),
            Vector("/Constant_5_output_0", 1), Vector("/Constant_6_output_0", 1), Vector("/Constant_7_output_0", 1)], Int("axis", 0));
        string index = Vector("/Constant_8_output_0", 0);
        string length = Node(graph, "Gather", "/Gather_1_output_0", [Node(graph, "Shape", "/Shape_1_output_0", [first]), index], Int("axis", 0));
        string rest = Node(graph, "Sub", "/Sub_output_0", [Scalar("/Constant_9_output_0", 8), length]);
        string pads = Node(graph, "Cast", "/Cast_2_output_0", [second], Int("to", 7));
        string zeros = g.Int64Zeros("/ConstantOfShape_output_0", rest);
        string pairs = Node(graph, "Reshape", "/Reshape_output_0", [Node(graph, "Concat", "/Concat_2_output_0", [pads, zeros], Int("axis", 0)),
            Vector("/Constant_10_output_0", -1, 2)]);
        string axes = Vector("/Constant_11_output_0", 0), starts = Vector("/Constant_12_output_0", -1);
        string ends = Vector("/Constant_13_output_0", long.MinValue + 1), steps = Vector("/Constant_14_output_0", -1);
        string reversed = Node(graph, "Slice", "/Slice_output_0", [pairs, starts, ends, axes, steps]);
        string transposed = Node(graph, "Transpose", "/Transpose_output_0", [reversed], Ints("perm", 1, 0));
        string vector = Node(graph, "Reshape", "/Reshape_1_output_0", [transposed, Vector("/Constant_15_output_0", -1)]);
        string computed = Node(graph, "Cast", "/Cast_3_output_0", [vector], Int("to", 7));
        return g.Then("Pad", [computed, ""], String("mode", "constant")).Then("Conv", [g.Weights("w", [2, 4, 3, 3])]).Then("Flatten").Build(1);
    }

    private static AttributeProto FloatScalar(float value)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        return new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }
}
