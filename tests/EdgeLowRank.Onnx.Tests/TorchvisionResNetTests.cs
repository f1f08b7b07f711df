using System.Diagnostics;
using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;
using static EdgeLowRank.Onnx.Tests.ResNetGraphs;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>torchvision's resnet18 exactly as to its graph: the ImageNet stem (Conv 7×7 of stride 2 and padding 3,
/// BatchNormalization, Relu, MaxPool 3×3 of stride 2 and padding 1), the real widths 64/128/256/512 and 1000 classes,
/// imported and run by the runtime against ONNX Runtime on the same file. The largest difference and both engines'
/// times (import and both engines) are written to the test output.</summary>
public sealed class TorchvisionResNetTests(ITestOutputHelper output)
{
    private const int Side = 224;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResNet18WithItsImageNetStem(bool folded)
    {
        // The batch normalizations in eval mode (random statistics): as nodes, folded by the import, or folded into the
        // Convs' biases as torch.onnx.export folds them in eval mode; the downsample after each block's main path, where
        // torch.onnx.export writes it.
        var g = new GraphBuilder([3, Side, Side], opset: 17);
        g.ConvBn("conv1", [64, 3, 7, 7], relu: true, folded, stride: 2, heScaled: true)
            // The attributes torch.onnx.export writes for nn.MaxPool2d(kernel_size=3, stride=2, padding=1) from opset 10.
            .Then("MaxPool", Int("ceil_mode", 0), Ints("dilations", 1, 1), Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Ints("strides", 2, 2));
        var expected = new List<(LayerKind Kind, int Source)> { (LayerKind.Conv2d, -1), (LayerKind.MaxPool2d, -1) };
        StagesAndHead(g, 64, [64, 128, 256, 512], 1000, folded, downsampleFirst: false, expected);
        byte[] onnx = g.Build(1000);

        var time = Stopwatch.StartNew();
        Compare.ImportAndCompare(onnx, [3, Side, Side], batch: 1, output: output);
        output.WriteLine($"batch 1: import, ONNX Runtime and the runtime in {time.Elapsed.TotalSeconds:F1} s");
        time.Restart();
        Model model = Compare.ImportAndCompare(onnx, [3, Side, Side], batch: 4, output: output);
        output.WriteLine($"batch 4: import, ONNX Runtime and the runtime in {time.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(expected, model.Layers.Select(Signature));
        Assert.Equal(new ConvolutionGeometry(3, 2, 1), model.Layers.OfType<MaxPool2dLayer>().Single().Geometry);
        Assert.Equal(new ConvolutionGeometry(7, 2, 3), ((Conv2dLayer)model.Layers[0]).Geometry);
    }
}
