using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Pooling in ceil mode (PyTorch's ceil_mode=True, as SqueezeNet writes its max pools), imported where it gives
/// the windows of the runtime's floor mode and run against ONNX Runtime on the same file; where it adds a window, the
/// refusal is in <see cref="ImportErrorTests"/>.</summary>
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
        var window = new ConvolutionGeometry(k, stride, padding);

        Assert.Equal((rows, columns), (PoolingNodes.Windows(height, window, ceil: true), PoolingNodes.Windows(width, window, ceil: true)));
        Assert.Equal((rows, columns), (PoolingNodes.Windows(height, window, ceil: false), PoolingNodes.Windows(width, window, ceil: false)));
    }

    [Theory]
    [InlineData(8, 3, 2, 1, 5, 4)]      // the span 7 leaves a pixel over: a 5th window over it and the padding
    [InlineData(7, 2, 2, 0, 4, 3)]      // a last window over the 7th pixel alone
    [InlineData(112, 3, 2, 0, 56, 55)]  // SqueezeNet's pools over an even image
    public void CeilModeAddsAWindow(int side, int k, int stride, int padding, long ceil, long floor)
    {
        var window = new ConvolutionGeometry(k, stride, padding);

        Assert.Equal(ceil, PoolingNodes.Windows(side, window, ceil: true));
        Assert.Equal(floor, PoolingNodes.Windows(side, window, ceil: false));
    }

    [Theory]
    [InlineData("MaxPool", 111, 111, 3, 2, 0)]
    [InlineData("MaxPool", 27, 13, 3, 2, 0)]
    [InlineData("MaxPool", 5, 5, 2, 2, 1)]
    [InlineData("AveragePool", 27, 27, 3, 2, 0)]
    public void IsImportedWhereItGivesTheFloorModesWindows(string op, int height, int width, int k, int stride, int padding)
    {
        // A 1×1 Conv first, so the pooled values are negative (a padding counted as 0 would show), then a transpose to
        // channels-last and a flatten: the outputs are the pooled pixels in the runtime's order.
        var g = new GraphBuilder([2, height, width], opset: 17);
        g.Then("Conv", [g.Weights("c.w", [3, 2, 1, 1], scale: 0.5f), Initializer(g.Graph, "c.b", [-2f, -2f, -2f], 3)])
            .Then(op, Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding), Int("ceil_mode", 1))
            .Then("Transpose", Ints("perm", 0, 2, 3, 1)).Then("Flatten", Int("axis", 1));
        var window = new ConvolutionGeometry(k, stride, padding);
        byte[] onnx = g.Build((int)(PoolingNodes.Windows(height, window, ceil: false) * PoolingNodes.Windows(width, window, ceil: false) * 3));

        Model model = Compare.ImportAndCompare(onnx, [2, height, width], batch: 2, output: output);

        Assert.Equal(window, ((PoolLayer)model.Layers[1]).Geometry);
    }
}
