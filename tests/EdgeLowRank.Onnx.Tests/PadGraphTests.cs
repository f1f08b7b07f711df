using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>A Pad of zeros before a Conv (nn.ZeroPad2d before nn.Conv2d; Keras' ZeroPadding2D as TF converters write it),
/// in each opset's form, folded into the Conv's padding and run against ONNX Runtime at batch 1 and 3; the Conv's outputs
/// are the graph's (transposed to channels-last and flattened), so every pixel the padding reaches is compared. The
/// Pads the runtime's zero padding does not do are refused, each message checked.</summary>
public sealed class PadGraphTests(ITestOutputHelper output)
{
    /// <summary>The forms: how the Pad gives its pads, its value and its axes, and what the Conv pads itself.</summary>
    public static TheoryData<string> Forms => new()
    {
        "opset 10: pads and value attributes",
        "opset 11: pads an input",
        "opset 13: pads and constant_value inputs, Constant nodes",
        "opset 18: axes an input, negative",
        "opset 18: axes an input, the spatial axes' pads only",
        "the Conv pads too",
        "the Pad evens out the Conv's own pads",
        "the Pad leaves the Conv's pads uneven",
        "Keras' ZeroPadding2D(((0, 1), (0, 1))) before a VALID Conv of stride 2",
        "a depthwise Conv of stride 2",
        "a depthwise Conv of stride 2 after an uneven Pad",
    };

    [Theory, MemberData(nameof(Forms))]
    public void APadFoldedIntoTheConv(string form)
    {
        var (g, window) = PaddedConv(form);
        bool depthwise = form.Contains("depthwise", StringComparison.Ordinal);
        byte[] onnx = g.Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1))
            .Build(window.OutputHeight(6) * window.OutputWidth(6) * (depthwise ? 4 : 5));

        Compare.ImportAndCompare(onnx, [4, 6, 6], batch: 1, output: output);
        Model model = Compare.ImportAndCompare(onnx, [4, 6, 6], batch: 3, output: output);

        Assert.Equal([depthwise ? LayerKind.DepthwiseConv2d : LayerKind.Conv2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));   // nothing of the Pad
        Assert.Equal(window, model.Layers[0] is Conv2dLayer c ? c.Geometry : ((DepthwiseConv2dLayer)model.Layers[0]).Geometry);
    }

    /// <summary>A Pad of zeros on every side changes nothing, whatever reads it (here a MaxPool, which a Pad that adds zeros
    /// may not precede) and whatever its mode.</summary>
    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    public void APadOfZerosIsNothing(string mode)
    {
        var g = new GraphBuilder([4, 6, 6], opset: 13);
        g.Then("Pad", [Int64Initializer(g.Graph, "pads", new long[8], 8)], String("mode", mode))
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)).Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));

        Model model = Compare.AtBatchOneAndFour(g.Build(36), [4, 6, 6], output);

        Assert.Equal([LayerKind.MaxPool2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));
    }

    /// <summary>An input normalized in the graph, then padded with zeros: the zeros are of the normalized image, which a
    /// padding of the raw pixels would not give, so the normalization stays a layer before the Conv (as for a padded Conv).</summary>
    [Fact]
    public void APadAfterTheInputsNormalization()
    {
        var g = new GraphBuilder([4, 6, 6], opset: 13);
        g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f])]).Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8)])
            .Then("Conv", [g.Weights("w", [5, 4, 3, 3]), g.Weights("b", [5])]).Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));

        Model model = Compare.AtBatchOneAndFour(g.Build(180), [4, 6, 6], output);

        Assert.Equal([LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));
        Assert.Equal(1, model.Layers.OfType<Conv2dLayer>().Single().Geometry.Pads.Top);
    }

    public static TheoryData<string, string> Refused => Refusals.Cases(Graphs);

    [Theory, MemberData(nameof(Refused))]
    public void IsRefusedWithAMessage(string name, string expected) => Refusals.Check(Graphs, name, expected);

    private const string Supported = "the runtime pads only with zeros, inside a convolution: a Pad is read where its mode is constant with the value 0, it pads "
        + "the height and width (axes 2 and 3) by 0 or more, and its output is read by one Conv, whose own padding it grows (nn.ZeroPad2d before nn.Conv2d)";

    private static readonly Dictionary<string, (Func<byte[]> Build, string Message)> Graphs = new()
    {
        ["reflect"] = (() => PadThenConv(13, [0, 0, 1, 1, 0, 0, 1, 1], pad: [String("mode", "reflect")]),
            $"node 0 'n0.Pad' (Pad): its mode is reflect (the pixels mirrored at the edge); {Supported}. Train the network with zero padding"),
        ["edge"] = (() => PadThenConv(13, [0, 0, 1, 1, 0, 0, 1, 1], pad: [String("mode", "edge")]), "its mode is edge (the edge pixels repeated)"),
        ["wrap"] = (() => PadThenConv(19, [0, 0, 1, 1, 0, 0, 1, 1], pad: [String("mode", "wrap")]), "its mode is wrap (the opposite edge's pixels)"),
        ["a constant of 0.5 as opset 10's attribute"] = (() => PadThenConv(10, [0, 0, 1, 1, 0, 0, 1, 1], pad: [Float("value", 0.5f)]),
            $"node 0 'n0.Pad' (Pad): it pads with the constant 0.5; {Supported}."),
        ["a constant of −1 as opset 11's input"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 11);
            return Conv(g.Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8), Initializer(g.Graph, "value", [-1f])])).Build(1);
        }, "node 0 'n0.Pad' (Pad): it pads with the constant -1;"),
        ["the channels padded"] = (() => PadThenConv(13, [0, 1, 1, 1, 0, 0, 1, 1]),
            $"node 0 'n0.Pad' (Pad): it has pads (0, 1, 1, 1, 0, 0, 1, 1), which pad the channels (axis 1); {Supported}."),
        ["the batch padded, axes given"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 18);
            return Conv(g.Then("Pad", [Int64Initializer(g.Graph, "pads", [1, 1, 1, 1, 1, 0], 6), "", Int64Initializer(g.Graph, "axes", [2, 3, 0], 3)])).Build(1);
        }, $"node 0 'n0.Pad' (Pad): it has pads (1, 1, 1, 1, 1, 0) for axes (2, 3, 0), which pad the batch (axis 0); {Supported}."),
        ["negative pads, a crop"] = (() => PadThenConv(13, [0, 0, -1, -1, 0, 0, -1, -1]),
            "node 0 'n0.Pad' (Pad): it has pads (0, 0, -1, -1, 0, 0, -1, -1), negative values that crop the image;"),
        ["a Pad before a MaxPool"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            return g.Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8)]).Then("MaxPool", Ints("kernel_shape", 3, 3)).Then("Flatten").Build(144);
        }, "node 0 'n0.Pad' (Pad): its output 'n0.Pad' must be read by one Conv, which the import pads instead, but node 1 'n1.MaxPool' (MaxPool) reads it "
            + "(a max pooling's own padding is −∞"),
        ["a Pad before an AveragePool"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            return g.Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8)]).Then("AveragePool", Ints("kernel_shape", 2, 2)).Then("Flatten").Build(196);
        }, "but node 1 'n1.AveragePool' (AveragePool) reads it (an average pooling's mean over a window that reaches the zeros counts them"),
        ["a Pad read by two Convs"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            string padded = g.Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8)]).Current;
            string a = Conv(g).Current;
            return Conv(g.From(padded)).Residual(a).Then("Flatten").Build(144);
        }, "node 0 'n0.Pad' (Pad): its output 'n0.Pad' must be read by one Conv, which the import pads instead, but 2 nodes read it (node 1 'n1.Conv' (Conv), "
            + "node 2 'n2.Conv' (Conv))"),
        ["a Pad as a Conv's weights"] = (() =>
        {
            var g = new GraphBuilder([4, 3, 3], opset: 13);
            string padded = g.Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8)]).Current;
            return g.From("x").Then("Conv", [padded]).Then("Flatten").Build(9);
        }, "but node 1 'n1.Conv' (Conv) reads it as its weights or bias, not as its input X"),
        ["a padding as large as the kernel"] = (() => PadThenConv(13, [0, 0, 0, 0, 0, 0, 2, 2], conv: [Ints("pads", 1, 1, 1, 1)]),
            "node 1 'n1.Conv' (Conv): with the zeros of the Pad node 0 'n0.Pad' (Pad) before it (top 0, left 0, bottom 2, right 2) and its own pads "
            + "(top 1, left 1, bottom 1, right 1), it pads top 1, left 1, bottom 3, right 3, as much as its 3×3 kernel or more on a side: the runtime's "
            + "windows take a padding below their kernel on each side. Pad less."),
        ["a pad that would wrap the sum"] = (() => PadThenConv(13, [0, 0, 0, 0, 0, 0, long.MaxValue, 0], conv: [Ints("pads", 1, 1, 1, 1)]),
            "node 1 'n1.Conv' (Conv): with the zeros of the Pad node 0 'n0.Pad' (Pad) before it (top 0, left 0, bottom 9223372036854775807, right 0)"),
        ["pads computed in the graph"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 13);
            return Conv(g.Then("Pad", ["n9.computed"])).Build(1);
        }, "node 0 'n0.Pad' (Pad): its pads ('n9.computed') are computed in the graph from its input (its data, or a size the export left dynamic); "
            + "the import folds a Pad into the Conv that reads it, so its pads must be constant"),
        ["pads as an attribute at opset 11"] = (() => Conv(new GraphBuilder([4, 6, 6], opset: 11).Then("Pad", Ints("pads", 0, 0, 1, 1, 0, 0, 1, 1))).Build(1),
            "node 0 'n0.Pad' (Pad): it has 1 input ('x'); at opset 11, the model's, Pad takes (data, pads, constant_value?), and (data) before opset 11, and "
            + "(data, pads, constant_value?, axes?) from opset 18."),
        ["value as an attribute at opset 11"] = (() => PadThenConv(11, [0, 0, 1, 1, 0, 0, 1, 1], pad: [Float("value", 0)]),
            "node 0 'n0.Pad' (Pad): it gives value as an attribute; at opset 11, the model's, a Pad takes its constant as the input constant_value (value is an "
            + "attribute before opset 11)."),
        ["pads as an input at opset 10"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 10);
            return Conv(g.Then("Pad", [Int64Initializer(g.Graph, "pads", [0, 0, 1, 1, 0, 0, 1, 1], 8)])).Build(1);
        }, "it has 2 inputs ('x', 'pads'); at opset 10, the model's, Pad takes (data), and (data, pads, constant_value?) from opset 11."),
        ["axes as an input at opset 17"] = (() =>
        {
            var g = new GraphBuilder([4, 6, 6], opset: 17);
            return Conv(g.Then("Pad", [Int64Initializer(g.Graph, "pads", [1, 1, 1, 1], 4), "", Int64Initializer(g.Graph, "axes", [2, 3], 2)])).Build(1);
        }, "it has 4 inputs ('x', 'pads', '', 'axes'); at opset 17, the model's, Pad takes (data, pads, constant_value?), and (data) before opset 11, and "
            + "(data, pads, constant_value?, axes?) from opset 18."),
        ["pads of the wrong count"] = (() => PadThenConv(13, [1, 1, 1, 1]),
            "node 0 'n0.Pad' (Pad): it has pads (1, 1, 1, 1); a Pad of a batch × C × H × W image takes a beginning and an end for each of its axes"),
    };

    /// <summary>A 4 × 6 × 6 image padded by <paramref name="pads"/> (an attribute before opset 11, an input from it) with the
    /// attributes <paramref name="pad"/>, then a 3×3 Conv to 2 channels with the attributes <paramref name="conv"/>.</summary>
    private static byte[] PadThenConv(int opset, long[] pads, AttributeProto[]? pad = null, AttributeProto[]? conv = null)
    {
        var g = new GraphBuilder([4, 6, 6], opset);
        if (opset < 11) g.Then("Pad", [Ints("pads", pads), .. pad ?? []]);
        else g.Then("Pad", [Int64Initializer(g.Graph, "pads", pads, pads.Length)], pad ?? []);
        return Conv(g, conv ?? []).Build(1);
    }

    /// <summary>A 3×3 Conv to 2 channels of <paramref name="g"/>'s 4-channel image.</summary>
    private static GraphBuilder Conv(GraphBuilder g, params AttributeProto[] attributes) =>
        g.Then("Conv", [g.Weights($"w{g.Graph.Node.Count}", [2, 4, 3, 3])], attributes);

    /// <summary>A 4 × 6 × 6 image, a Pad in <paramref name="form"/>, and the Conv that reads it; the window the import gives
    /// the Conv.</summary>
    private static (GraphBuilder Graph, ConvolutionGeometry Window) PaddedConv(string form)
    {
        int opset = form.StartsWith("opset ", StringComparison.Ordinal) ? int.Parse(form[6..8]) : 13;
        var g = new GraphBuilder([4, 6, 6], opset);
        string Pads(params long[] pads) => Int64Initializer(g.Graph, $"pads{g.Graph.Node.Count}", pads, pads.Length);
        string w = g.Weights("w", [5, 4, 3, 3]), b = g.Weights("b", [5]);
        switch (form)
        {
            case "opset 10: pads and value attributes":
                g.Then("Pad", Ints("pads", 0, 0, 1, 1, 0, 0, 1, 1), String("mode", "constant"), Float("value", 0));
                break;
            case "opset 11: pads an input":
                g.Then("Pad", [Pads(0, 0, 2, 2, 0, 0, 2, 2)]);
                g.Then("Conv", [g.Weights("w5", [5, 4, 5, 5]), b]);
                return (g, new ConvolutionGeometry(5, 1, 2));
            case "opset 13: pads and constant_value inputs, Constant nodes":
                g.Then("Pad", [g.Int64Constant("pads", [0, 0, 1, 1, 0, 0, 1, 1], 8), Node(g.Graph, "Constant", "zero", [], ZeroTensor())], String("mode", "constant"));
                break;
            case "opset 18: axes an input, negative":
                g.Then("Pad", [Pads(1, 1, 1, 1), "", Int64Initializer(g.Graph, "axes", [-2, -1], 2)]);
                break;
            case "opset 18: axes an input, the spatial axes' pads only":
                g.Then("Pad", [Pads(0, 1, 0, 1), "", Int64Initializer(g.Graph, "axes", [1, 2], 2)]);
                g.Then("Conv", [g.Weights("w5", [5, 4, 5, 5]), b], Ints("pads", 1, 2, 1, 2));   // on each side: height 1 + 1, width 0 + 2
                return (g, new ConvolutionGeometry(5, 1, 2));
            case "the Conv pads too":
                g.Then("Pad", [Pads(0, 0, 1, 1, 0, 0, 1, 1)]);
                g.Then("Conv", [g.Weights("w5", [5, 4, 5, 5]), b], Ints("pads", 1, 1, 1, 1));
                return (g, new ConvolutionGeometry(5, 1, 2));
            case "the Pad evens out the Conv's own pads":
                g.Then("Pad", [Pads(0, 0, 1, 1, 0, 0, 0, 0)]);
                g.Then("Conv", [w, b], Ints("pads", 0, 0, 1, 1));
                return (g, new ConvolutionGeometry(3, 1, 1));
            case "the Pad leaves the Conv's pads uneven":
                g.Then("Pad", [Pads(0, 0, 1, 1, 0, 0, 1, 1)]);
                g.Then("Conv", [w, b], Ints("pads", 0, 0, 1, 1));
                return (g, new ConvolutionGeometry(3, 1, new WindowPadding(1, 1, 2, 2)));
            case "Keras' ZeroPadding2D(((0, 1), (0, 1))) before a VALID Conv of stride 2":
                // TensorFlow's SAME over an even side, 0 before and 1 after, as TF converters write it: 3×3 outputs.
                g.Then("Pad", [Pads(0, 0, 0, 0, 0, 0, 1, 1)]);
                g.Then("Conv", [w, b], Ints("strides", 2, 2), String("auto_pad", "VALID"));
                return (g, new ConvolutionGeometry(3, 2, new WindowPadding(0, 0, 1, 1)));
            case "a depthwise Conv of stride 2":
                g.Then("Pad", [Pads(0, 0, 1, 1, 0, 0, 1, 1)]);
                g.Then("Conv", [g.Weights("dw", [4, 1, 3, 3]), g.Weights("db", [4])], Int("group", 4), Ints("strides", 2, 2));
                return (g, new ConvolutionGeometry(3, 2, 1));
            case "a depthwise Conv of stride 2 after an uneven Pad":
                g.Then("Pad", [Pads(0, 0, 1, 0, 0, 0, 0, 1)]);   // a row above, a column right; the Conv pads a column left itself
                g.Then("Conv", [g.Weights("dw", [4, 1, 3, 3]), g.Weights("db", [4])], Int("group", 4), Ints("strides", 2, 2), Ints("pads", 0, 1, 0, 0));
                return (g, new ConvolutionGeometry(3, 2, new WindowPadding(1, 1, 0, 1)));
            default:
                throw new ArgumentOutOfRangeException(nameof(form), form, null);
        }
        g.Then("Conv", [w, b]);
        return (g, new ConvolutionGeometry(3, 1, 1));
    }

    private static AttributeProto ZeroTensor()
    {
        var zero = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        zero.FloatData.Add(0f);
        return new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = zero };
    }
}
