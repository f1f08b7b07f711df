using EdgeLowRank.Runtime.Layers;
using Onnx;
using Xunit.Abstractions;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Files written by PyTorch's own torch.onnx.export (1.13, from Debian's python3-torch; scripts/export-torch-models.py),
/// not by a builder that mimics it: each imports, and the runtime computes on PyTorch's input what PyTorch computed.</summary>
public sealed class TorchExportTests(ITestOutputHelper output)
{
    /// <summary>The largest |PyTorch − runtime| allowed, relative to the largest |output|: the same bound as against ONNX
    /// Runtime (<see cref="Compare.Close"/>). Both compute in float32 and sum in different orders (ResNet-18's last
    /// convolutions sum 4608 products per output), which leaves differences near 1e-6 of the outputs' size; a wrong weight,
    /// layout or bias moves outputs by far more.</summary>
    private const double Tolerance = 1e-5;

    [TorchExportTheory]
    [InlineData("lenet5")]
    [InlineData("resnet18")]
    [InlineData("resnet18-untrained")]
    [InlineData("mobilenet_v2")]
    [InlineData("squeezenet1_1")]
    [InlineData("shufflenet_v2_x0_5")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("efficientnet_b0")]
    [InlineData("inception_like")]
    [InlineData("zero_padded")]
    [InlineData("same_padded")]
    [InlineData("zero_padded_after")]
    public void TheRuntimeComputesWhatPyTorchComputed(string name)
    {
        TorchExport export = TorchExports.Load(name);

        Model model = OnnxImporter.Import(export.Onnx);

        Assert.Equal(export.InputShape[1..], ChannelsFirst.OnnxShape(model.InputShape));
        int batch = export.InputShape[0];
        var input = new float[export.Input.Length];
        ChannelsFirst.FromOnnxLayout(export.Input, model.InputShape, input);
        (double difference, double scale) = Compare.Close(export.Output, Compare.RunRuntime(model, input, batch), Tolerance);
        output.WriteLine($"{name}: {model.Layers.Count} layers; batch {batch}: max |PyTorch − runtime| = {difference:G3}, largest |output| {scale:G3}");

        // The comparison shows a wrong layout or weight only if the output depends on the input: the samples' outputs
        // must differ by far more than the tolerance (untrained batch norms once made MobileNetV2's all but constant).
        int classes = export.OutputShape[1];
        double between = Enumerable.Range(0, classes).Max(j => Math.Abs(export.Output[j] - export.Output[classes + j]));
        Assert.True(between > 100 * Tolerance * scale, $"the {batch} samples' outputs differ by only {between:G3} of {scale:G3}: the file cannot show a wrong layout or weight.");
    }

    [TorchExportTheory]
    [InlineData("lenet5", "0.1307", "0.3081")]                                            // MNIST's transforms.Normalize; conv1 padded by 2
    [InlineData("resnet18", "0.485,0.456,0.406", "0.229,0.224,0.225")]                   // ImageNet's; the 7×7 stem padded by 3
    [InlineData("mobilenet_v2", "0.485,0.456,0.406", "0.229,0.224,0.225")]               // a 3×3 stem of stride 2, padded by 1
    public void ImportedWithTheNormalizationItWasTrainedOnItTakesPixels(string name, string mean, string std)
    {
        // PyTorch's input read as normalized pixels, x = (p − mean) / std: the runtime gets p = x·std + mean, and the imported
        // model must normalize p itself before the padded first convolution (a layer of its own: the padding pads x, not p).
        TorchExport export = TorchExports.Load(name);
        var normalization = new InputNormalization(Numbers(mean), Numbers(std));

        Model model = OnnxImporter.Import(export.Onnx, normalization);

        Assert.Equal(LayerKind.DepthwiseConv2d, model.Layers[0].Kind);
        int channels = export.InputShape[1], plane = export.InputShape[2] * export.InputShape[3];
        float[] pixels = export.Input.Select((x, i) =>
        {
            int c = i / plane % channels;
            return x * normalization.Std[normalization.Std.Count == 1 ? 0 : c] + normalization.Mean[normalization.Mean.Count == 1 ? 0 : c];
        }).ToArray();
        var input = new float[pixels.Length];
        ChannelsFirst.FromOnnxLayout(pixels, model.InputShape, input);
        (double difference, double scale) = Compare.Close(export.Output, Compare.RunRuntime(model, input, export.InputShape[0]), Tolerance);
        output.WriteLine($"{name} with {normalization}: max |PyTorch − runtime| = {difference:G3}, largest |output| {scale:G3}");
    }

    private static float[] Numbers(string text) => text.Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [TorchExportTheory]
    [InlineData("resnet18-untrained", "resnet18")]
    public void AnUntrainedNetworksSharedInitializersAreReadThroughItsIdentityNodes(string untrained, string trained)
    {
        // The exporter stores equal initializers once (an untrained network's batch norms fold into zero biases) and
        // writes each other use as an Identity of it at the start of the graph: the file must have that form to test it.
        TorchExport export = TorchExports.Load(untrained);
        GraphProto graph = ModelProto.Parser.ParseFrom(export.Onnx).Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        NodeProto[] identities = graph.Node.TakeWhile(n => n.OpType == "Identity").ToArray();
        Assert.NotEmpty(identities);
        Assert.All(identities, n => Assert.Contains(n.Input.Single(), initializers));
        output.WriteLine($"{untrained}: {identities.Length} Identity nodes of initializers at the start of its {graph.Node.Count} nodes");

        Model model = OnnxImporter.Import(export.Onnx), reference = OnnxImporter.Import(TorchExports.Load(trained).Onnx);

        Assert.Equal(reference.Layers.Select(Signature), model.Layers.Select(Signature));
    }

    [TorchExportTheory]
    [InlineData("squeezenet1_1", 8, 8)]     // eight Fire modules, each a Branch to its squeeze output and a Concat
    [InlineData("inception_like", 2, 2)]    // two Branches to the stem's output, then the Concat of three paths as two layers
    public void ItsConcatsAreImportedAsBranchesAndConcats(string name, int branches, int concats)
    {
        Model model = OnnxImporter.Import(TorchExports.Load(name).Onnx);

        Assert.Equal(branches, model.Layers.Count(l => l is BranchLayer));
        Assert.Equal(concats, model.Layers.Count(l => l is ConcatLayer));
    }

    [TorchExportTheory]
    [InlineData("shufflenet_v2_x0_5")]
    public void ShuffleNetsUnitsAreImportedAsSlicesBranchesConcatsAndShuffles(string name)
    {
        Model model = OnnxImporter.Import(TorchExports.Load(name).Onnx);

        // Stages of 4, 8 and 4 units: each stage's first downsamples (two paths from its input, a Branch and a Concat),
        // the other 13 split their input's channels in two (two slices, a Branch between them) and concatenate; all 16 shuffle.
        Assert.Equal(26, model.Layers.Count(l => l is ChannelSliceLayer));
        Assert.Equal(16, model.Layers.Count(l => l is BranchLayer));
        Assert.Equal(16, model.Layers.Count(l => l is ConcatLayer));
        Assert.Equal(16, model.Layers.Count(l => l is ChannelShuffleLayer { Groups: 2 }));
    }

    [TorchExportTheory]
    // 19 Hardswish (the classifier's among them); 9 squeeze-and-excitation gates, each HardSigmoid(1/6, 0.5) and a Mul; no SiLU.
    [InlineData("mobilenet_v3_small", 19, 9, 0, 0, 9, 10)]
    // 49 SiLU (65 Sigmoids less the 16 gates'); 16 gates, each a Sigmoid and a Mul; the first gate's mean over 112×112 pixels
    // as two poolings (2×2, then 56×56), so 18 AvgPool2d for 17 means.
    [InlineData("efficientnet_b0", 0, 0, 49, 16, 16, 18)]
    public void ItsActivationsAndGatesAreImportedAsTheirLayers(string name, int hardSwish, int hardSigmoid, int silu, int sigmoid, int scales, int pools)
    {
        Model model = OnnxImporter.Import(TorchExports.Load(name).Onnx);

        Assert.Equal((hardSwish, hardSigmoid, silu, sigmoid, scales, pools), (model.Layers.Count(l => l is HardSwishLayer),
            model.Layers.Count(l => l is HardSigmoidLayer { Alpha: HardSigmoidLayer.PyTorchAlpha, Beta: HardSigmoidLayer.PyTorchBeta }),
            model.Layers.Count(l => l is SiluLayer), model.Layers.Count(l => l is SigmoidLayer), model.Layers.Count(l => l is ChannelScaleLayer),
            model.Layers.Count(l => l is AvgPool2dLayer)));
        // Each gate's path starts with the pooling of the activation the gate scales (torchvision's SqueezeExcitation
        // pools its input), so each ChannelScale's source is the input of the poolings that begin its block's gate.
        foreach (var (scale, i) in model.Layers.Select((l, i) => (l, i)).Where(x => x.l is ChannelScaleLayer).Select(x => ((ChannelScaleLayer)x.l, x.i)))
        {
            int pool = model.Layers.Take(i).Select((l, j) => (l, j)).Last(x => x.l is AvgPool2dLayer).j;
            while (model.Layers[pool - 1] is AvgPool2dLayer) pool--;
            Assert.Equal(pool, scale.Source);
        }
    }

    /// <summary>Each model's layers and its convolutions' windows: kernel, stride, then top, left, bottom and right padding.</summary>
    public static TheoryData<string, LayerKind[], int[][]> PaddedConvolutions => new()
    {
        // nn.ZeroPad2d(1) before a 3×3 Conv, F.pad by 2 before a 5×5 one of stride 2.
        { "zero_padded", [LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], [[3, 1, 1, 1, 1, 1], [5, 2, 2, 2, 2, 2]] },
        // padding='same' with kernels of 4 and 2: the odd pixel after the image.
        { "same_padded", [LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense], [[4, 1, 1, 1, 2, 2], [2, 1, 0, 0, 1, 1]] },
        // nn.ZeroPad2d((0, 1, 0, 1)) before a 3×3 Conv of stride 2.
        { "zero_padded_after", [LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], [[3, 2, 0, 0, 1, 1]] },
    };

    [TorchExportTheory, MemberData(nameof(PaddedConvolutions))]
    public void ItsPadsComputedFromConstantsAreFoldedIntoItsConvs(string name, LayerKind[] layers, int[][] windows)
    {
        // Each Pad's chain of constants (ConstantOfShape, Concat, Reshape, Slice, Transpose, Reshape, Cast) evaluated, and its
        // zeros the Conv's own padding, side by side.
        Model model = OnnxImporter.Import(TorchExports.Load(name).Onnx);

        Assert.Equal(layers, model.Layers.Select(l => l.Kind));
        Assert.Equal(windows.Select(w => new ConvolutionGeometry(w[0], w[1], new WindowPadding(w[2], w[3], w[4], w[5]))),
            model.Layers.OfType<Conv2dLayer>().Select(c => c.Geometry));
    }

    private static (LayerKind, string) Signature(Layer layer) => (layer.Kind, layer is Conv2dLayer conv ? conv.Geometry.ToString() : "");
}
