using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Pooling in ceil mode (PyTorch's ceil_mode=True, as SqueezeNet writes its max pools), run against ONNX Runtime on
/// the same file: a max pooling as floor-mode windows over more padding after the image where ceil mode adds a last window,
/// an average pooling where it gives the windows of floor mode; an average pooling's last, partial window is refused
/// (<see cref="ImportErrorTests"/>).</summary>
public sealed class CeilModePoolingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(111, 111, 3, 2, 0, 55, 55)]   // SqueezeNet 1.1's three max pools: 3×3 windows moved by 2
    [InlineData(55, 55, 3, 2, 0, 27, 27)]
    [InlineData(27, 13, 3, 2, 0, 13, 6)]      // oblong: both axes agree
    [InlineData(5, 5, 2, 2, 1, 3, 3)]         // ceil mode's 4th window would start in the padding after the image: dropped
    [InlineData(6, 6, 1, 3, 0, 2, 2)]         // without padding, a stride above the window: ceil's 3rd would start past the image
    public void TheWindowCountsAgree(int height, int width, int k, int stride, int padding, long rows, long columns)
    {
        long Windows(int side, bool ceil) => PoolingNodes.Windows(side, padding, padding, k, stride, ceil);

        Assert.Equal((rows, columns), (Windows(height, ceil: true), Windows(width, ceil: true)));
        Assert.Equal((rows, columns), (Windows(height, ceil: false), Windows(width, ceil: false)));
        Assert.Equal((padding, padding), (PoolingNodes.CeilEnd(height, padding, padding, k, stride), PoolingNodes.CeilEnd(width, padding, padding, k, stride)));
    }

    [Theory]
    [InlineData(8, 3, 2, 1, 1, 5, 4, 2)]      // the span 7 leaves a pixel over: a 5th window over it and the padding
    [InlineData(7, 2, 2, 0, 0, 4, 3, 1)]      // a last window over the 7th pixel alone
    [InlineData(112, 3, 2, 0, 0, 56, 55, 1)]  // SqueezeNet's pools over an even image
    [InlineData(10, 4, 3, 1, 0, 4, 3, 2)]     // the last window from pixel 8: 2 pixels and 2 of padding
    [InlineData(6, 2, 3, 1, 0, 3, 2, 1)]      // from pixel 5 (with the padding after, not before, it would start past the image)
    public void CeilModeAddsAWindowThatMorePaddingGivesFloorMode(int side, int k, int stride, int before, int after, long ceil, long floor, long end)
    {
        Assert.Equal(ceil, PoolingNodes.Windows(side, before, after, k, stride, ceil: true));
        Assert.Equal(floor, PoolingNodes.Windows(side, before, after, k, stride, ceil: false));
        Assert.Equal(end, PoolingNodes.CeilEnd(side, before, after, k, stride));
        Assert.Equal(ceil, PoolingNodes.Windows(side, before, end, k, stride, ceil: false));
        Assert.InRange(end, after, k - 1);
    }

    [Theory]
    [InlineData("MaxPool", 111, 111, 3, 2, 0, 0, 0)]
    [InlineData("MaxPool", 27, 13, 3, 2, 0, 0, 0)]
    [InlineData("MaxPool", 5, 5, 2, 2, 1, 1, 1)]
    [InlineData("MaxPool", 8, 8, 3, 2, 1, 2, 2)]      // 5×5 windows where floor mode slides 4×4: the last ones over 2 pixels of padding
    [InlineData("MaxPool", 7, 8, 3, 2, 0, 0, 1)]      // 3 rows of windows either way; a 4th column over the last column alone
    [InlineData("MaxPool", 112, 112, 3, 2, 0, 1, 1)]  // SqueezeNet 1.1 over an even image: 56×56 windows
    [InlineData("AveragePool", 27, 27, 3, 2, 0, 0, 0)]
    public void IsImportedAsFloorModeWindows(string op, int height, int width, int k, int stride, int padding, int bottom, int right)
    {
        // A 1×1 Conv first, so the pooled values are negative (a padding counted as 0 would show), then a transpose to
        // channels-last and a flatten: the outputs are the pooled pixels in the runtime's order.
        var g = new GraphBuilder([2, height, width], opset: 17);
        g.Then("Conv", [g.Weights("c.w", [3, 2, 1, 1], scale: 0.5f), Initializer(g.Graph, "c.b", [-2f, -2f, -2f], 3)])
            .Then(op, Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding), Int("ceil_mode", 1))
            .Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));
        var window = new ConvolutionGeometry(k, stride, new WindowPadding(padding, padding, bottom, right));
        byte[] onnx = g.Build(window.OutputHeight(height) * window.OutputWidth(width) * 3);

        Model model = Compare.ImportAndCompare(onnx, [2, height, width], batch: 2, output: output);

        Assert.Equal(window, ((PoolLayer)model.Layers[1]).Geometry);
        Assert.All(Compare.RunRuntime(model, Compare.Random(2 * model.InputShape.ElementCount, seed: 5), 2), v => Assert.InRange(v, -3f, -1f));
    }
}
