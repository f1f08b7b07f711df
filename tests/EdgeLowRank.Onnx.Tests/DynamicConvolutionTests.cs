using Google.Protobuf;
using Onnx;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;
using Xunit.Abstractions;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Convolutions that quantize their inputs as they run (format 1.11: one scale per image), exported as quantize_dynamic
/// writes a Conv (DynamicQuantizeLinear, ConvInteger, Cast, Mul by the scales, Add of the bias): ONNX Runtime computes the
/// runtime's outputs on a batch of one, with padding and a stride of 2 over odd channel counts and in every golden convolutional
/// network, and the import gives the layers back; an altered form is refused with what was expected.</summary>
public sealed class DynamicConvolutionTests(ITestOutputHelper output)
{
    private static readonly TensorShape Input = new(11, 9, 3);

    /// <summary>An 11×9×3 image → a 3×3 Conv2d of stride 2 padded by 1 to 5 channels, fused ReLU → a FactorizedConv2d 3×3 padded
    /// by 1 of rank 3 to 7 channels → Flatten → Dense to 4: random int8 weights with a scale per output, f32 biases.</summary>
    private static Model PaddedStrided(InputQuantization inputs) => PaddedStrided(inputs, Input, WindowPadding.Even(1));

    /// <summary>The same layers over <paramref name="input"/>, the stem padded by <paramref name="stemPads"/>.</summary>
    private static Model PaddedStrided(InputQuantization inputs, TensorShape input, WindowPadding stemPads)
    {
        var random = new Random(11);
        PackedMatrix Int8(int rows, int columns) => PackedMatrix.FromRowMajor(
            Enumerable.Range(0, rows * columns).Select(_ => (sbyte)random.Next(-127, 128)).ToArray(),
            Enumerable.Range(0, columns).Select(_ => (float)(0.002 + random.NextDouble() * 0.02)).ToArray(), rows, columns);
        float[] Bias(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var stem = new Conv2dLayer(Int8(3 * 3 * 3, 5), Bias(5), 3, new ConvolutionGeometry(3, 2, stemPads), Activation.Relu, inputs);
        var factorized = new FactorizedConv2dLayer(Int8(3 * 3 * 5, 3), Int8(3, 7), Bias(7), 5, new ConvolutionGeometry(3, 1, 1), Activation.None,
            FactorizationMethod.Svd, inputs);
        var dense = new DenseLayer(Int8(stem.Geometry.OutputHeight(input[0]) * stem.Geometry.OutputWidth(input[1]) * 7, 4), Bias(4), Activation.None, inputs);
        return new Model(input, [stem, factorized, new FlattenLayer(), dense], new ModelMetadata());
    }

    /// <summary>Samples whose ranges differ: around 0, all positive (zero point 0), all negative (zero point 255).</summary>
    private static IEnumerable<float[]> Samples()
    {
        int size = Input.ElementCount;
        for (int seed = 0; seed < 4; seed++) yield return Compare.Random(size, seed);
        yield return Compare.Random(size, 4).Select(v => (v + 1) * 3).ToArray();
        yield return Compare.Random(size, 5).Select(v => (v - 1) / 4).ToArray();
    }

    [Fact]
    public void OnnxRuntimeComputesWhatTheRuntimeComputesOneImageAtATime()
    {
        using Model model = PaddedStrided(InputQuantization.Dynamic);
        byte[] onnx = OnnxExporter.Export(model);
        GraphProto graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        Assert.Equal(3, graph.Node.Count(n => n.OpType == "ConvInteger"));   // the stem, both factors
        Assert.Equal(4, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Conv" or "DequantizeLinear");
        // The same levels, padding and int32 sums in both engines; the f32 scaling and bias are all that may differ: 0 measured.
        double largest = Compare.SampleBySample(model, onnx, Samples().SelectMany(s => s).ToArray(), 1e-6);
        output.WriteLine($"padded, stride 2, odd channels: largest |ONNX Runtime − runtime| / largest |output| = {largest:G3} at batch 1");
    }

    /// <summary>The stem padded as TensorFlow's SAME with stride 2 over even sides (format 1.13: nothing above or left, a row
    /// below and a column right), its ConvInteger's pads as the export writes them or replaced by auto_pad SAME_UPPER, which the
    /// import computes over the image the walk has reached there: ONNX Runtime computes the runtime's outputs one image at a
    /// time, and the import gives the window back.</summary>
    [Theory]
    [InlineData("pads")]
    [InlineData("SAME_UPPER")]
    public void AnUnevenlyPaddedConvIntegerRunsInOnnxRuntimeAndComesBack(string form)
    {
        var pads = new WindowPadding(0, 0, 1, 1);
        using Model model = PaddedStrided(InputQuantization.Dynamic, new TensorShape(8, 10, 3), pads);
        ModelProto proto = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model));
        NodeProto stem = proto.Graph.Node.First(n => n.OpType == "ConvInteger");
        Assert.Equal([0L, 0, 1, 1], stem.Attribute.Single(x => x.Name == "pads").Ints);
        if (form == "SAME_UPPER")
        {
            stem.Attribute.Remove(stem.Attribute.Single(x => x.Name == "pads"));
            stem.Attribute.Add(OnnxProto.String("auto_pad", form));
        }
        byte[] onnx = proto.ToByteArray();

        double largest = Compare.SampleBySample(model, onnx, Compare.Random(4 * model.InputShape.ElementCount, seed: 7), 1e-6);
        output.WriteLine($"{form}: largest |ONNX Runtime − runtime| / largest |output| = {largest:G3} at batch 1");
        using Model imported = OnnxImporter.Import(onnx);

        Assert.Equal(new ConvolutionGeometry(3, 2, pads), imported.Layers.OfType<Conv2dLayer>().Single().Geometry);
    }

    /// <summary>The golden networks of the later formats' layer kinds (1×1 and k×k convolutions beside depthwise ones, residual
    /// and projection shortcuts, Concats, slices and shuffles, squeeze-and-excitation gates), quantized and made dynamic.</summary>
    public static TheoryData<string> ConvolutionalNames =>
        new([.. Fixtures.New1_4, .. Fixtures.New1_5, .. Fixtures.New1_6, .. Fixtures.New1_7, .. Fixtures.New1_8, .. Fixtures.New1_9]);

    [Theory, MemberData(nameof(ConvolutionalNames))]
    public void EveryGoldenNetworkMadeDynamicRunsInOnnxRuntimeAndComesBack(string name)
    {
        using Model f32 = ModelReader.Load(Fixtures.Model(name));
        using Model model = DynamicInputTests.Dynamic(ModelWeights.MapMatrices(f32, (_, m) => m.Quantize()));
        byte[] onnx = OnnxExporter.Export(model);
        float[] input = Fixtures.Floats(name + ".input.f32");
        // The layers left in f32 (depthwise convolutions, poolings, gates) round as each engine does: 4.9e-7 measured.
        double largest = Compare.SampleBySample(model, onnx, input, 1e-6);
        output.WriteLine($"{name}: largest |ONNX Runtime − runtime| / largest |output| = {largest:G3} at batch 1");

        using Model imported = OnnxImporter.Import(onnx);
        Assert.Equal(model.Layers.Where(l => l.WeightMatrices.Count > 0).Select(l => (l.Kind, l.InputQuantization)),
            imported.Layers.Where(l => l.WeightMatrices.Count > 0).Select(l => (l.Kind, l.InputQuantization)));
        int batch = input.Length / model.InputShape.ElementCount;
        Assert.Equal(Compare.RunRuntime(model, input, batch), Compare.RunRuntime(imported, input, batch));
    }

    [Fact]
    public void TheGoldenLeNet5WritesEveryConvolutionAsAConvInteger()
    {
        using Model model = DynamicInputTests.Dynamic(ModelReader.Load(Fixtures.Model("lenet5-factorized-int8")));

        GraphProto graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model)).Graph;

        Assert.Equal(3, graph.Node.Count(n => n.OpType == "ConvInteger"));     // conv1, both factors of conv2
        Assert.Equal(3, graph.Node.Count(n => n.OpType == "MatMulInteger"));   // both factors of fc1, fc2
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Conv" or "DequantizeLinear");
    }

    [Fact]
    public void ImportGivesTheDynamicConvolutionsBack()
    {
        using Model original = PaddedStrided(InputQuantization.Dynamic);

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        Assert.Equal(original.Layers.Select(l => (l.Kind, l.InputQuantization, l.Method, l.Activation)),
            imported.Layers.Select(l => (l.Kind, l.InputQuantization, l.Method, l.Activation)));
        Assert.Equal(original.Layers.OfType<Conv2dLayer>().Single().Geometry, imported.Layers.OfType<Conv2dLayer>().Single().Geometry);
        Assert.Equal(original.Layers.OfType<FactorizedConv2dLayer>().Single().Geometry, imported.Layers.OfType<FactorizedConv2dLayer>().Single().Geometry);
        Compare.SameInt8Weights(original, imported);
        static IEnumerable<float[]> Biases(Model m) => m.Layers.Where(l => l.WeightMatrices.Count > 0).Select(l => LayerEdits.Bias(l).ToArray());
        Assert.Equal(Biases(original), Biases(imported));
        float[] input = Samples().SelectMany(s => s).ToArray();
        int batch = input.Length / Input.ElementCount;
        Assert.Equal(Compare.RunRuntime(original, input, batch), Compare.RunRuntime(imported, input, batch));
    }

    [Fact]
    public void WeightOnlyConvolutionsToldDynamicAreWrittenAsTheDynamicOnesAre()
    {
        using Model weightOnly = PaddedStrided(InputQuantization.None);
        using Model dynamic = PaddedStrided(InputQuantization.Dynamic);

        byte[] told = OnnxExporter.Export(weightOnly, Int8Export.Dynamic);
        GraphProto dequantized = ModelProto.Parser.ParseFrom(OnnxExporter.Export(dynamic, Int8Export.Dequantize)).Graph;

        float[] sample = Samples().First();
        var onnxInput = new float[sample.Length];
        ChannelsFirst.ToOnnxLayout(sample, Input, onnxInput);
        Compare.Close(Compare.RunRuntime(dynamic, sample, 1), OrtRunner.Run(told, onnxInput, [1, 3, 11, 9]), 1e-6);
        Assert.DoesNotContain(dequantized.Node, n => n.OpType is "DynamicQuantizeLinear" or "ConvInteger");
        Assert.Equal(3, dequantized.Node.Count(n => n.OpType == "Conv"));
    }

    /// <summary>The quantize_dynamic form of a Conv altered one way each: every alteration is refused with what the import expected.</summary>
    public static TheoryData<string, string> Alterations => new()
    {
        { "the quantized image read by a second node", "'spy' (Identity); expected MatMulInteger or ConvInteger nodes only" },
        { "uint8 weights", "the runtime multiplies uint8 inputs by int8 weights" },
        { "a group of 3", "a grouped or depthwise ConvInteger is not supported" },
        { "channel scales as a flat vector", "expected one, or one per output channel (5) shaped (c, 1, 1) or (1, c, 1, 1)" },
        { "more padding after than the kernel", "The padding must be 0 to 2 on each side for a kernel of 3, not top 1, left 1, bottom 3, right 1." },
    };

    [Theory, MemberData(nameof(Alterations))]
    public void AnAlteredFormIsRefusedWithWhatWasExpected(string alteration, string expected)
    {
        using Model model = PaddedStrided(InputQuantization.Dynamic);

        var e = AlteredPatterns.Refusal(model, "ConvInteger", (graph, quantize, conv) =>
        {
            switch (alteration)
            {
                case "the quantized image read by a second node":
                    AlteredPatterns.ReadTwice(graph, quantize, conv);
                    break;
                case "uint8 weights":
                    graph.Initializer.Single(t => t.Name == conv.Input[1]).DataType = (int)TensorProto.Types.DataType.Uint8;
                    break;
                case "a group of 3":
                    conv.Attribute.Add(OnnxProto.Int("group", 3));
                    break;
                case "channel scales as a flat vector":
                    TensorProto scales = graph.Initializer.Single(t => t.Name == "l0.channel-scales");   // the stem's, 1×5×1×1
                    scales.Dims.Clear();
                    scales.Dims.Add(5);
                    break;
                case "more padding after than the kernel":
                    conv.Attribute.Single(x => x.Name == "pads").Ints[2] = 3;
                    break;
            }
        });

        Assert.Contains(expected, e.Message);
        Assert.Contains(alteration is "a group of 3" or "more padding after than the kernel" ? "(ConvInteger)" : "(DynamicQuantizeLinear)", e.Message);
    }
}
