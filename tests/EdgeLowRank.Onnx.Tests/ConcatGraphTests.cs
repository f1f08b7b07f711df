using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Paths joined by a Concat along the channels, written as torch.onnx.export writes torch.cat (SqueezeNet's Fire
/// module, Inception's blocks), imported as Branch and Concat layers and run by the runtime against ONNX Runtime on the
/// same file, at batch 1 and 4. TorchExportTests runs PyTorch's own SqueezeNet 1.1 and a three-path module.</summary>
public sealed class ConcatGraphTests(ITestOutputHelper output)
{
    /// <summary>Every order of three paths a, b, c (the chain ends at c, the last computed): c first, in the middle, last.</summary>
    public static TheoryData<string> Orders => new() { "abc", "acb", "bac", "bca", "cab", "cba" };

    [Theory, MemberData(nameof(Orders))]
    public void ThreePathsStackedInAnyOrderThenFlattenedIntoAGemm(string order)
    {
        // A stem whose output three paths read (a 1×1 Conv to 3, a 3×3 Conv to 2, a max pool and a 1×1 Conv to 4), one Concat
        // of the three in the given order, then torch.flatten and nn.Linear: the Gemm's rows follow ONNX's (c, h, w) order of
        // the stacked channels, so a path stacked in the wrong place, or the right channels in the wrong rows, shows.
        var g = new GraphBuilder([3, 6, 6], opset: 17);
        string x = g.ConvBn("stem", [4, 3, 3, 3], relu: true, folded: true).Current;
        var paths = new Dictionary<char, string>
        {
            ['a'] = g.From(x).ConvBn("a", [3, 4, 1, 1], relu: true, folded: true).Current,
            ['b'] = g.From(x).ConvBn("b", [2, 4, 3, 3], relu: false, folded: true).Current,
            ['c'] = g.From(x).Then("MaxPool", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1)).ConvBn("c", [4, 4, 1, 1], relu: true, folded: true).Current,
        };
        g.Of("Concat", order.Select(p => paths[p]).ToArray(), Int("axis", 1)).Then("Flatten", Int("axis", 1)).Then("Gemm", [g.Weights("fc.weight", [5, 9 * 36]), g.Weights("fc.bias", [5])], Int("transB", 1));
        byte[] onnx = g.Build(5);

        Model model = Compare.AtBatchOneAndFour(onnx, [3, 6, 6], output);

        Assert.Equal(2, model.Layers.Count(l => l is BranchLayer));
        int at = order.IndexOf('c');
        Assert.Equal([.. Enumerable.Repeat(false, at), .. Enumerable.Repeat(true, 2 - at)], model.Layers.OfType<ConcatLayer>().Select(c => c.InputFirst));
    }

    [Fact]
    public void SqueezeNetFireModulesAfterACeilModePool()
    {
        // torchvision's SqueezeNet 1.1 at small widths: a 3×3 Conv of stride 2 (15 → 7), a 3×3 max pool of stride 2 in ceil
        // mode (7 → 3, as floor mode), two Fire modules (squeeze 1×1, expand 1×1 and 3×3, torch.cat([e1, e3], 1)), then a 1×1
        // Conv, ReLU, global average and flatten.
        var g = new GraphBuilder([3, 15, 15], opset: 17);
        g.Then("Conv", [g.Weights("conv.w", [6, 3, 3, 3], scale: 0.5f), g.Weights("conv.b", [6])], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2)).Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Int("ceil_mode", 1));
        int channels = 6;
        for (int f = 0; f < 2; f++)
        {
            string squeeze = g.ConvBn($"fire{f}.squeeze", [3, channels, 1, 1], relu: true, folded: true).Current;
            string e1 = g.ConvBn($"fire{f}.expand1x1", [4, 3, 1, 1], relu: true, folded: true).Current;
            g.From(squeeze).ConvBn($"fire{f}.expand3x3", [4, 3, 3, 3], relu: true, folded: true);
            string e3 = g.Current;
            g.From(e1).Then("Concat", [e3], Int("axis", 1));
            channels = 8;
        }
        g.ConvBn("classifier", [5, 8, 1, 1], relu: true, folded: true).Then("GlobalAveragePool").Then("Flatten", Int("axis", 1));
        byte[] onnx = g.Build(5);

        Model model = Compare.AtBatchOneAndFour(onnx, [3, 15, 15], output);

        LayerKind[] fire = [LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Branch, LayerKind.Conv2d, LayerKind.Concat];
        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, .. fire, .. fire, LayerKind.Conv2d, LayerKind.AvgPool2d, LayerKind.Flatten],
            model.Layers.Select(l => l.Kind));
        Assert.Equal([(4, false), (9, false)], model.Layers.OfType<ConcatLayer>().Select(c => (c.Source, c.InputFirst)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void VectorsStackedAlongTheirFeatures(long axis)
    {
        // Two Gemm paths from one vector, stacked as [first, second] (the chain at the second) and read by a Gemm.
        var g = new GraphBuilder([7], opset: 17);
        string x = g.Then("Gemm", [g.Weights("w0", [7, 6])]).Then("Relu").Current;
        string first = g.Then("Gemm", [g.Weights("w1", [6, 4])]).Current;
        string second = g.From(x).Then("Gemm", [g.Weights("w2", [6, 3])]).Then("Relu").Current;
        g.From(first).Then("Concat", [second], Int("axis", axis)).Then("Gemm", [g.Weights("w3", [7, 5])]);
        byte[] onnx = g.Build(5);

        Model model = Compare.AtBatchOneAndFour(onnx, [7], output);

        Assert.Equal([LayerKind.Dense, LayerKind.Dense, LayerKind.Branch, LayerKind.Dense, LayerKind.Concat, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void AConcatOfTheInputAlongAxisMinusThree()
    {
        // DenseNet's join: the block's input and what it computed, torch.cat([x, f(x)], -3).
        var g = new GraphBuilder([2, 5, 5], opset: 17);
        string f = g.ConvBn("f", [3, 2, 3, 3], relu: true, folded: true).Current;
        g.Of("Concat", ["x", f], Int("axis", -3)).Then("Flatten", Int("axis", 1)).Then("Gemm", [g.Weights("fc", [125, 4])]);
        byte[] onnx = g.Build(4);

        Model model = Compare.AtBatchOneAndFour(onnx, [2, 5, 5], output);

        Assert.Equal((0, false), model.Layers.OfType<ConcatLayer>().Select(c => (c.Source, c.InputFirst)).Single());
    }
}
