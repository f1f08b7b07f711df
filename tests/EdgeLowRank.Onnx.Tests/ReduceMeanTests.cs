using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>PyTorch's x.mean([2, 3]) (ShuffleNet v2's last pooling), a ReduceMean over the height and width, imported as
/// an average pooling over the whole image and run against ONNX Runtime at batch 1 and 4.</summary>
public sealed class ReduceMeanTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(13, 0L)]   // axes an attribute; the two dimensions dropped, as x.mean([2, 3]) does
    [InlineData(13, 1L)]   // kept (x.mean([2, 3], keepdim=True)): a flatten follows
    [InlineData(18, 0L)]   // axes an input from opset 18 on
    public void AMeanOverTheImage(int opset, long keepdims)
    {
        var g = new GraphBuilder([3, 4, 4], opset);
        g.ConvBn("stem", [5, 3, 3, 3], relu: true, folded: true);
        if (opset < 18) g.Then("ReduceMean", Ints("axes", 2, -1), Int("keepdims", keepdims));
        else g.Then("ReduceMean", [Int64Initializer(g.Graph, "axes", [2, 3], 2)], Int("keepdims", keepdims));
        if (keepdims == 1) g.Then("Flatten", Int("axis", 1));
        g.Then("MatMul", [g.Weights("fc", [5, 4])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [3, 4, 4], output);

        Assert.Equal([LayerKind.Conv2d, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void NoAxesWithNoopWithEmptyAxesIsNothing()
    {
        // Opset 18's noop_with_empty_axes = 1: a ReduceMean given no axes passes its input on unchanged.
        var g = new GraphBuilder([3, 4, 4], 18);
        g.ConvBn("stem", [5, 3, 3, 3], relu: true, folded: true);
        g.Then("ReduceMean", Int("noop_with_empty_axes", 1)).Then("Flatten", Int("axis", 1)).Then("MatMul", [g.Weights("fc", [80, 4])]);

        Model model = Compare.AtBatchOneAndFour(g.Build(4), [3, 4, 4], output);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }
}
