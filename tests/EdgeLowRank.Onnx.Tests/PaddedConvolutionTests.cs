using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Convolutions padded unevenly (format 1.13): TensorFlow's SAME with a stride of 2 over an even side as tf2onnx
/// writes it (pads 0, 0, 1, 1) or as auto_pad SAME_UPPER, SAME_LOWER (the odd pixel before), PyTorch's padding='same' with an
/// even kernel, each over a plain, a depthwise and a factorized convolution, imported with each side's padding and run
/// against ONNX Runtime at batch 1 and 4. The Conv's outputs are the graph's (transposed to channels-last and flattened), so
/// every pixel the padding reaches is compared.</summary>
public sealed class PaddedConvolutionTests(ITestOutputHelper output)
{
    /// <summary>The form ("pads", "SAME_UPPER", "SAME_LOWER"; "depthwise" or "factorized" before it for those convolutions), the
    /// image's height and width, the kernel, the stride, and the padding the import must give: top, left, bottom, right (for
    /// "pads", the node's too).</summary>
    public static TheoryData<string, int, int, int, int, int[]> Forms => new()
    {
        { "pads", 28, 28, 3, 2, [0, 0, 1, 1] },                 // tf2onnx's SAME over MNIST's even side: 14×14
        { "pads", 27, 27, 3, 2, [0, 0, 1, 1] },                 // the same pads over an odd side: 13×13, the last windows end on the image's edge
        { "SAME_UPPER", 28, 28, 3, 2, [0, 0, 1, 1] },
        { "SAME_LOWER", 28, 28, 3, 2, [1, 1, 0, 0] },
        { "SAME_UPPER", 27, 28, 3, 2, [1, 0, 1, 1] },           // oblong: the odd side gets 1 each, the even one 0 and 1
        { "SAME_LOWER", 27, 28, 2, 2, [1, 0, 0, 0] },
        { "SAME_UPPER", 9, 9, 4, 1, [1, 1, 2, 2] },             // PyTorch's padding='same' with a kernel of 4: 3 in all, the odd one after
        { "SAME_LOWER", 9, 9, 4, 1, [2, 2, 1, 1] },
        { "SAME_UPPER", 9, 9, 3, 1, [1, 1, 1, 1] },             // an odd kernel at stride 1: even
        { "depthwise pads", 28, 28, 3, 2, [0, 1, 1, 0] },
        { "depthwise SAME_UPPER", 10, 10, 3, 2, [0, 0, 1, 1] },
        { "factorized pads", 14, 14, 3, 2, [0, 0, 1, 1] },      // a k×k Conv to rank 2, then a 1×1 Conv: one FactorizedConv2d
    };

    [Theory, MemberData(nameof(Forms))]
    public void AnUnevenlyPaddedConvolution(string form, int height, int width, int k, int stride, int[] pads)
    {
        bool depthwise = form.StartsWith("depthwise", StringComparison.Ordinal), factorized = form.StartsWith("factorized", StringComparison.Ordinal);
        string padding = form.Split(' ')[^1];
        var window = new ConvolutionGeometry(k, stride, new WindowPadding(pads[0], pads[1], pads[2], pads[3]));
        AttributeProto paddingAttribute = padding == "pads" ? Ints("pads", pads.Select(p => (long)p).ToArray()) : String("auto_pad", padding);
        int channels = depthwise ? 3 : 5;
        var g = new GraphBuilder([3, height, width], opset: 13);
        if (depthwise) g.Then("Conv", [g.Weights("w", [3, 1, k, k]), g.Weights("b", [3])], Int("group", 3), Ints("strides", stride, stride), paddingAttribute);
        else if (factorized) g.Then("Conv", [g.Weights("u", [2, 3, k, k])], Ints("strides", stride, stride), paddingAttribute).Then("Conv", [g.Weights("v", [5, 2, 1, 1]), g.Weights("b", [5])]);
        else g.Then("Conv", [g.Weights("w", [5, 3, k, k]), g.Weights("b", [5])], Ints("strides", stride, stride), paddingAttribute);
        byte[] onnx = g.Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1)).Build(window.OutputHeight(height) * window.OutputWidth(width) * channels);

        Model model = Compare.AtBatchOneAndFour(onnx, [3, height, width], output);

        Assert.Equal(window, model.Layers[0] switch
        {
            Conv2dLayer c => c.Geometry,
            DepthwiseConv2dLayer d => d.Geometry,
            FactorizedConv2dLayer f => f.Geometry,
            var other => throw new InvalidOperationException($"a {other.Kind} first"),
        });
        Assert.Equal(depthwise ? LayerKind.DepthwiseConv2d : factorized ? LayerKind.FactorizedConv2d : LayerKind.Conv2d, model.Layers[0].Kind);
    }
}
