using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>MaxPool with padding (ResNet's stem: 3×3 windows moved by 2, padded by 1; TensorFlow's SAME, padded unevenly;
/// ceil mode's last window), imported as a padded MaxPool2d layer and run by the runtime against ONNX Runtime on the same
/// file. The pooled values are all negative, so a padding counted as 0 instead of −∞ would raise every window that reaches
/// it to 0.</summary>
public sealed class PaddedPoolingTests(ITestOutputHelper output)
{
    // 3 channels pool in the runtime's scalar loop, 4 in 128-bit vectors, 9 in a vector of 8 (with AVX2) and an overlapping
    // tail: each over the −∞-bordered copy of the image. The form, the side, the kernel (moved by 2), the channels, and the
    // padding the import gives: top, left, bottom, right.
    public static TheoryData<string, int, int, int, int[]> Forms => new()
    {
        { "pads", 7, 3, 3, [1, 1, 1, 1] }, { "pads", 8, 3, 3, [1, 1, 1, 1] },   // odd and even sides: 4×4 windows either way; on 8 none reaches the right padding
        { "pads", 7, 3, 4, [1, 1, 1, 1] }, { "pads", 8, 3, 9, [1, 1, 1, 1] },
        { "pads 0 0 1 1", 8, 3, 4, [0, 0, 1, 1] },                                // tf2onnx's SAME over an even side
        { "SAME_UPPER", 7, 3, 3, [1, 1, 1, 1] }, { "SAME_LOWER", 7, 3, 3, [1, 1, 1, 1] },   // 2 pixels of padding in all per axis: 1 on each side
        { "SAME_UPPER", 8, 3, 9, [0, 0, 1, 1] }, { "SAME_LOWER", 8, 3, 9, [1, 1, 0, 0] },   // 1 in all: after the image, or before it
        { "SAME_UPPER", 7, 2, 3, [0, 0, 1, 1] },                                  // Keras' MaxPooling2D(2, padding='same') over an odd side
        { "ceil_mode", 7, 3, 3, [1, 1, 1, 1] },                                   // the stride divides 7 + 2 − 3: ceil mode gives the same windows
        { "ceil_mode", 8, 3, 4, [1, 1, 2, 2] },                                   // a 5th window, over the last pixel and 2 of padding
        { "storage_order", 8, 3, 3, [1, 1, 1, 1] },                               // orders only the unused indices output
    };

    [Theory, MemberData(nameof(Forms))]
    public void APaddedMaxPoolOfNegativeValues(string form, int side, int k, int channels, int[] pads)
    {
        // A 1×1 Conv from 2 channels with weights in [−0.5, 0.5) and a bias of −2: values in (−3, −1) for inputs in
        // [−1, 1), the corner windows' inside pixels among them. Then a transpose to channels-last and a flatten, so the
        // outputs are the pooled pixels in the runtime's order.
        var g = new GraphBuilder([2, side, side], opset: 17);
        AttributeProto[] window = form switch
        {
            "SAME_UPPER" or "SAME_LOWER" => [String("auto_pad", form)],
            "pads 0 0 1 1" => [Ints("pads", 0, 0, 1, 1)],
            "ceil_mode" => [Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1)],
            "storage_order" => [Ints("pads", 1, 1, 1, 1), Int("storage_order", 1)],
            _ => [Ints("pads", 1, 1, 1, 1)],
        };
        var geometry = new ConvolutionGeometry(k, 2, new WindowPadding(pads[0], pads[1], pads[2], pads[3]));
        g.Then("Conv", [g.Weights("c.w", [channels, 2, 1, 1], scale: 0.5f), Initializer(g.Graph, "c.b", Enumerable.Repeat(-2f, channels).ToArray(), channels)])
            .Then("MaxPool", [Ints("kernel_shape", k, k), Ints("strides", 2, 2), .. window])
            .Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));
        byte[] onnx = g.Build(geometry.OutputHeight(side) * geometry.OutputWidth(side) * channels);

        Compare.ImportAndCompare(onnx, [2, side, side], batch: 1, output: output);
        Model model = Compare.ImportAndCompare(onnx, [2, side, side], batch: 3, output: output);

        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten], model.Layers.Select(l => l.Kind));
        Assert.Equal(geometry, model.Layers.OfType<MaxPool2dLayer>().Single().Geometry);
        Assert.All(Compare.RunRuntime(model, Compare.Random(3 * model.InputShape.ElementCount, seed: 99), 3), v => Assert.InRange(v, -3f, -1f));
    }
}
