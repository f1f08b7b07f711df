using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>ShuffleNet's channel split and channel shuffle, written as torch.onnx.export 1.13 writes x.chunk(2, dim=1) and
/// channel_shuffle (their bounds and shapes computed from the tensor's shape), and slices and shuffles in the other forms
/// ONNX allows (a Split among them), imported as ChannelSlice, Branch, Concat and ChannelShuffle layers and run by the runtime against ONNX
/// Runtime on the same file, at batch 1 and 4. TorchExportTests runs PyTorch's own ShuffleNet v2.</summary>
public sealed class ShuffleGraphTests(ITestOutputHelper output)
{
    [Fact]
    public void ShuffleNetsSplitUnitAsPyTorchExportsIt()
    {
        var g = new GraphBuilder([3, 5, 5], opset: 13);
        string x = g.ConvBn("stem", [6, 3, 3, 3], relu: true, folded: true).Current;
        (string first, string second) = Chunk(g, x);

        SplitUnitAgreesWithOnnxRuntime(g, first, second);
    }

    [Theory]
    [InlineData(11)]   // the parts' sizes an attribute
    [InlineData(13)]   // an input
    [InlineData(18)]   // equal parts by num_outputs
    public void ShuffleNetsSplitUnitWithASplit(int opset)
    {
        // The same unit as other exporters write x.chunk(2, dim=1): one Split of two outputs.
        var g = new GraphBuilder([3, 5, 5], opset);
        string x = g.ConvBn("stem", [6, 3, 3, 3], relu: true, folded: true).Current;
        var split = new NodeProto { OpType = "Split", Name = "/Split" };
        split.Input.Add(x);
        split.Output.AddRange(["first", "second"]);
        split.Attribute.Add(Int("axis", 1));
        if (opset < 13) split.Attribute.Add(Ints("split", 3, 3));
        else if (opset < 18) split.Input.Add(Int64Initializer(g.Graph, "sizes", [3, 3], 2));
        else split.Attribute.Add(Int("num_outputs", 2));
        g.Graph.Node.Add(split);

        SplitUnitAgreesWithOnnxRuntime(g, "first", "second");
    }

    /// <summary>The rest of ShuffleNet's split unit after x1, x2 = x.chunk(2, dim=1) of 6 channels (<paramref name="first"/>,
    /// <paramref name="second"/>): cat(x1, branch2(x2)), channel_shuffle(out, 2), then flatten and a Linear layer, whose rows
    /// follow the shuffled channels' order, so a slice or a shuffle of the wrong channels shows. Imported as the first
    /// half's slice, a Branch back, the second half's slice, its path, a Concat and a shuffle, and run against ONNX Runtime.</summary>
    private void SplitUnitAgreesWithOnnxRuntime(GraphBuilder g, string first, string second)
    {
        string branch = g.From(second).ConvBn("branch2", [3, 3, 1, 1], relu: true, folded: true).Current;
        string joined = g.Of("Concat", [first, branch], Int("axis", 1)).Current;
        g.From(ChannelShuffle(g, joined, 2)).Then("Flatten", Int("axis", 1)).Then("MatMul", [g.Weights("fc", [150, 4])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [3, 5, 5], output);

        Assert.Equal([LayerKind.Conv2d, LayerKind.ChannelSlice, LayerKind.Branch, LayerKind.ChannelSlice, LayerKind.Conv2d, LayerKind.Concat,
            LayerKind.ChannelShuffle, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([(0, 3), (3, 3)], model.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)));
    }

    [Theory]
    [InlineData(9, 1L)]    // starts, ends and axes as attributes
    [InlineData(13, 1L)]   // as constant inputs
    [InlineData(13, -3L)]  // the channels counted from the end
    public void ConstantSlicesOfTheChannels(int opset, long axis)
    {
        // x[:, 1:3] and x[:, -2:] (torch writes the open end as 2⁶³ − 1), stacked and flattened into a Gemm.
        var g = new GraphBuilder([4, 3, 3], opset);
        string x = g.ConvBn("stem", [5, 4, 3, 3], relu: true, folded: true).Current;
        string Slice(long start, long end) => opset < 10
            ? Node(g.Graph, "Slice", $"/Slice_{start}", [x], Ints("starts", start), Ints("ends", end), Ints("axes", axis))
            : Node(g.Graph, "Slice", $"/Slice_{start}", [x, Int64Initializer(g.Graph, $"s{start}", [start], 1), Int64Initializer(g.Graph, $"e{start}", [end], 1),
                Int64Initializer(g.Graph, $"a{start}", [axis], 1)]);
        string middle = Slice(1, 3);
        string last = g.From(Slice(-2, long.MaxValue)).ConvBn("path", [2, 2, 1, 1], relu: false, folded: true).Current;
        g.Of("Concat", [middle, last], Int("axis", 1)).Then("Flatten", Int("axis", 1)).Then("MatMul", [g.Weights("fc", [36, 3])]);   // opset 9's Gemm needs a bias

        Model model = Compare.AtBatchOneAndFour(g.Build(3), [4, 3, 3], output);

        Assert.Equal([(1, 2), (3, 2)], model.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)));
    }

    [Fact]
    public void AVectorsFeaturesShuffledAndSliced()
    {
        // The vector analogue: Reshape (0, 3, 2), Transpose (0, 2, 1), Reshape (0, 6), then features 1…4.
        var g = new GraphBuilder([5], opset: 17);
        g.Then("Gemm", [g.Weights("w0", [5, 6])]).Then("Relu")
            .Then("Reshape", [Int64Initializer(g.Graph, "grouped", [0, 3, 2], 3)]).Then("Transpose", Ints("perm", 0, 2, 1))
            .Then("Reshape", [Int64Initializer(g.Graph, "back", [0, -1], 2)])
            .Then("Slice", [Int64Initializer(g.Graph, "s", [1], 1), Int64Initializer(g.Graph, "e", [5], 1), Int64Initializer(g.Graph, "a", [-1], 1)])
            .Then("Gemm", [g.Weights("w1", [4, 3])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(3), [5], output);

        Assert.Equal([LayerKind.Dense, LayerKind.ChannelShuffle, LayerKind.ChannelSlice, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(3, model.Layers.OfType<ChannelShuffleLayer>().Single().Groups);
    }

    [Fact]
    public void SevenFeaturesSplitIntoTwoParts()
    {
        // Opset 18's num_outputs over 7 features: parts of 4 and 3 (the last smaller), each with a path of its own, stacked.
        var g = new GraphBuilder([5], opset: 18);
        string x = g.Then("Gemm", [g.Weights("w0", [5, 7])]).Then("Relu").Current;
        var split = new NodeProto { OpType = "Split", Name = "/Split" };
        split.Input.Add(x);
        split.Output.AddRange(["a", "b"]);
        split.Attribute.AddRange([Int("axis", -1), Int("num_outputs", 2)]);
        g.Graph.Node.Add(split);
        string first = g.From("a").Then("Tanh").Current;
        g.From("b").Then("Gemm", [g.Weights("w1", [3, 2])]).Then("Concat", [first], Int("axis", 1)).Then("Gemm", [g.Weights("w2", [6, 3])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(3), [5], output);

        Assert.Equal([(0, 4), (4, 3)], model.Layers.OfType<ChannelSliceLayer>().Select(s => (s.Start, s.Count)));
    }

    /// <summary>x.chunk(2, dim=1) as torch.onnx.export 1.13 writes it: the channels from Shape and Gather, half of them
    /// rounded up ((c + 1) / 2), each half's bounds that times 0, 1 and 2, and two Slices along axis 1.</summary>
    internal static (string First, string Second) Chunk(GraphBuilder g, string x)
    {
        string channels = Node(g.Graph, "Gather", "/chunk/Gather", [Node(g.Graph, "Shape", "/chunk/Shape", [x]), g.Int64Constant("/chunk/index", [1], 1)], Int("axis", 0));
        string rounded = Node(g.Graph, "Add", "/chunk/Add", [channels, g.Int64Constant("/chunk/plus", [1], 1)]);
        string half = Node(g.Graph, "Div", "/chunk/Div", [rounded, g.Int64Constant("/chunk/two", [2], 1)]);
        string middle = Node(g.Graph, "Mul", "/chunk/Mul", [half, g.Int64Constant("/chunk/once", [1], 1)]);
        string end = Node(g.Graph, "Mul", "/chunk/Mul_1", [half, g.Int64Constant("/chunk/twice", [2], 1)]);
        string axes = g.Int64Constant("/chunk/axes", [1], 1);
        return (Node(g.Graph, "Slice", "/chunk/Slice", [x, g.Int64Constant("/chunk/zero", [0], 1), middle, axes]),
            Node(g.Graph, "Slice", "/chunk/Slice_1", [x, middle, end, axes]));
    }

    /// <summary>torchvision's channel_shuffle(x, groups) as torch.onnx.export 1.13 writes it: the sizes from Shape and
    /// Gather, a Reshape into (batch, groups, c / groups, h, w), a Transpose of the groups, and a Reshape back to
    /// (batch, −1, h, w), whose shape is computed after the Transpose.</summary>
    internal static string ChannelShuffle(GraphBuilder g, string x, long groups)
    {
        string Size(int i) => Node(g.Graph, "Gather", $"/shuffle/Gather_{i}", [Node(g.Graph, "Shape", $"/shuffle/Shape_{i}", [x]), g.Int64Constant($"/shuffle/index_{i}", [i])],
            Int("axis", 0));
        string Vector(string scalar) => g.Opset < 13   // Unsqueeze's axes an attribute before opset 13
            ? Node(g.Graph, "Unsqueeze", $"{scalar}/Unsqueeze_{g.Graph.Node.Count}", [scalar], Ints("axes", 0))
            : Node(g.Graph, "Unsqueeze", $"{scalar}/Unsqueeze_{g.Graph.Node.Count}", [scalar, g.Int64Constant($"{scalar}/axes_{g.Graph.Node.Count}", [0], 1)]);
        string[] sizes = [Size(0), Size(1), Size(2), Size(3)];
        string perGroup = Node(g.Graph, "Cast", "/shuffle/Cast", [Node(g.Graph, "Div", "/shuffle/Div", [sizes[1], g.Int64Constant("/shuffle/groups", [groups])])],
            Int("to", 7));
        string grouped = Node(g.Graph, "Concat", "/shuffle/Concat", [Vector(sizes[0]), g.Int64Constant("/shuffle/g", [groups], 1), Vector(perGroup), Vector(sizes[2]),
            Vector(sizes[3])], Int("axis", 0));
        string swapped = Node(g.Graph, "Transpose", "/shuffle/Transpose", [Node(g.Graph, "Reshape", "/shuffle/Reshape", [x, grouped])], Ints("perm", 0, 2, 1, 3, 4));
        string back = Node(g.Graph, "Concat", "/shuffle/Concat_1", [Vector(sizes[0]), g.Int64Constant("/shuffle/rest", [-1], 1), Vector(sizes[2]), Vector(sizes[3])],
            Int("axis", 0));
        return Node(g.Graph, "Reshape", "/shuffle/Reshape_1", [swapped, back]);
    }
}
