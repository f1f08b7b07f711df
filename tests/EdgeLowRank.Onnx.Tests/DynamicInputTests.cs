using Onnx;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;
using Xunit.Abstractions;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Layers that quantize their inputs as they run (format 1.10, <see cref="InputQuantization.Dynamic"/>; convolutions since
/// 1.11), exported as ONNX Runtime's quantize_dynamic writes them: ONNX Runtime computes the runtime's outputs on a batch of one
/// (its DynamicQuantizeLinear takes one scale per batch, the runtime one per sample), and the import gives the layers back.</summary>
public sealed class DynamicInputTests(ITestOutputHelper output)
{
    /// <summary>The int8 golden models: LeNet-300-100 (two factorized layers and a dense one) and LeNet-5 (a convolution, a
    /// factorized convolution, a factorized and a dense layer); and the golden files of integer products (formats 1.10 and 1.11), dynamic as read.</summary>
    public static TheoryData<string> Int8Names => new(["lenet300-factorized-int8", "lenet5-factorized-int8", "tiny-odd-int8", .. Fixtures.New1_10, .. Fixtures.New1_11]);

    [Theory, MemberData(nameof(Int8Names))]
    public void OnnxRuntimeComputesWhatTheRuntimeComputesOneSampleAtATime(string name)
    {
        using Model model = Dynamic(ModelReader.Load(Fixtures.Model(name)));
        Assert.Contains(model.Layers, l => l.InputQuantization == InputQuantization.Dynamic);
        byte[] onnx = OnnxExporter.Export(model);
        Assert.Contains(ModelProto.Parser.ParseFrom(onnx).Graph.Node, n => n.OpType == "DynamicQuantizeLinear");
        // Both engines quantize the same inputs with the same scale and zero point and sum the same integers; what is left is
        // the f32 rounding of the scaling and the bias: 1.3e-7 measured.
        double largest = Compare.SampleBySample(model, onnx, Fixtures.Floats(name + ".input.f32"), 1e-6);
        output.WriteLine($"{name}: largest |ONNX Runtime − runtime| / largest |output| = {largest:G3} at batch 1");
    }

    [Fact]
    public void OnABatchOnnxRuntimeQuantizesTheWholeBatchWithOneScale()
    {
        // The runtime's outputs for a sample do not depend on the batch; ONNX Runtime's do, since DynamicQuantizeLinear takes the
        // range of the whole tensor. The fixture's samples differ enough that the batch's range is not each sample's.
        const string name = "lenet300-factorized-int8";
        using Model model = Dynamic(ModelReader.Load(Fixtures.Model(name)));
        float[] input = Fixtures.Floats(name + ".input.f32");
        int batch = input.Length / model.InputShape.ElementCount;

        float[] ort = OrtRunner.Run(OnnxExporter.Export(model), input, [batch, model.InputShape.ElementCount]);
        float[] runtime = Compare.RunRuntime(model, input, batch);

        double scale = runtime.Max(Math.Abs), difference = runtime.Zip(ort, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"batch {batch}: largest |ONNX Runtime − runtime| / largest |output| = {difference / scale:G3}");
        Assert.True(difference > 1e-5 * scale, "the batch's quantization should differ from each sample's");
        Assert.True(difference < 5e-2 * scale, $"{difference} against {scale}");
    }

    [Theory, MemberData(nameof(Int8Names))]
    public void ImportGivesTheDynamicLayersBack(string name)
    {
        using Model original = Dynamic(ModelReader.Load(Fixtures.Model(name)));
        float[] input = Fixtures.Floats(name + ".input.f32");

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        // The matrix layers (a Relu layer after one comes back fused into it, as for any model).
        static IEnumerable<(LayerKind, InputQuantization, FactorizationMethod)> Matrices(Model m) =>
            m.Layers.Where(l => l.WeightMatrices.Count > 0).Select(l => (l.Kind, l.InputQuantization, l.Method));
        Assert.Equal(Matrices(original), Matrices(imported));
        Compare.SameInt8Weights(original, imported);
        int batch = input.Length / original.InputShape.ElementCount;
        Assert.Equal(Compare.RunRuntime(original, input, batch), Compare.RunRuntime(imported, input, batch));
    }

    [Fact]
    public void AnExplicitInt8FormAppliesToTheDynamicLayersToo()
    {
        using Model model = Dynamic(ModelReader.Load(Fixtures.Model("lenet300-factorized-int8")));

        GraphProto dequantized = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model, Int8Export.Dequantize)).Graph;

        Assert.DoesNotContain(dequantized.Node, n => n.OpType is "DynamicQuantizeLinear" or "MatMulInteger");
        Assert.Equal(5, dequantized.Node.Count(n => n.OpType == "DequantizeLinear"));   // A and B of two layers, W of fc3
    }

    /// <summary>The quantize_dynamic form altered one way each: every alteration is refused with what the import expected.</summary>
    public static TheoryData<string, string> Alterations => new()
    {
        { "the quantized values read by a second node", "'spy' (Identity); expected MatMulInteger or ConvInteger nodes only" },
        { "a weight zero point of 1", "an initializer of zeros (symmetric int8 weights)" },
        { "the sums cast to int64", "must be cast to float" },
        { "a scale per input row", "expected one, or one per column" },
    };

    [Theory, MemberData(nameof(Alterations))]
    public void AnAlteredFormIsRefusedWithWhatWasExpected(string alteration, string expected)
    {
        using Model model = Dynamic(ModelReader.Load(Fixtures.Model("tiny-odd-int8")));

        var e = AlteredPatterns.Refusal(model, "MatMulInteger", (graph, quantize, matMul) =>
        {
            switch (alteration)
            {
                case "the quantized values read by a second node":
                    AlteredPatterns.ReadTwice(graph, quantize, matMul);
                    break;
                case "a weight zero point of 1":
                    TensorProto w = graph.Initializer.Single(t => t.Name == matMul.Input[1]);
                    var zero = new sbyte[w.Dims[1]];
                    zero[0] = 1;
                    matMul.Input.Add(OnnxProto.Int8Initializer(graph, "w.zero", zero, w.Dims[1]));
                    break;
                case "the sums cast to int64":
                    graph.Node.First(n => n.OpType == "Cast").Attribute[0].I = (long)TensorProto.Types.DataType.Int64;
                    break;
                case "a scale per input row":
                    NodeProto scales = graph.Node.First(n => n.OpType == "Mul" && n.Input.Contains(quantize.Output[1]));
                    TensorProto columnScales = graph.Initializer.Single(t => t.Name == scales.Input[1]);
                    long rows = graph.Initializer.Single(t => t.Name == matMul.Input[1]).Dims[0];
                    graph.Initializer.Remove(columnScales);
                    OnnxProto.Initializer(graph, columnScales.Name, Enumerable.Repeat(0.01f, (int)rows).ToArray(), rows);
                    break;
            }
        });

        Assert.Contains(expected, e.Message);
        Assert.Contains("DynamicQuantizeLinear", e.Message);
    }

    /// <summary><paramref name="model"/> (disposed) with every matrix layer (Dense, FactorizedDense, Conv2d, FactorizedConv2d)
    /// quantizing its inputs as it runs, as <c>elr quantize --activations dynamic</c> marks them; the weights copied, so the file
    /// may close.</summary>
    internal static Model Dynamic(Model model)
    {
        using (model)
        {
            Model copy = ModelWeights.MapMatrices(model, (_, m) => m);
            return new Model(copy.InputShape, copy.Layers.Select(l => l.WeightMatrices.Count > 0 ? LayerEdits.With(l, InputQuantization.Dynamic) : l).ToArray(),
                copy.Metadata);
        }
    }
}
