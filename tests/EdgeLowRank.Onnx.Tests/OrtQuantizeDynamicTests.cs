using Google.Protobuf;
using Onnx;
using EdgeLowRank.Runtime.Layers;
using Xunit.Abstractions;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Files as ONNX Runtime's own quantize_dynamic writes them (<see cref="QuantizeDynamicRewrite"/>), not as
/// <c>elr export-onnx</c> does: a LeNet-5-like network and an MLP, per tensor and per channel, imported and run by the runtime
/// one sample at a time against ONNX Runtime on the same file; the forms the runtime cannot compute are refused with what to do.</summary>
public sealed class OrtQuantizeDynamicTests(ITestOutputHelper output)
{
    /// <summary>The float networks: "mlp", Keras-style MatMul + Add, 64 → 32 → 16 → 10; "lenet5-gemm" and "lenet5-matmul", a
    /// 1×28×28 image → Conv 5×5 to 6 padded by 2 → Relu → MaxPool 2 → Conv 5×5 to 16 → Relu → MaxPool 2 → Flatten → 120 → 84 → 10
    /// with Relus, its dense layers PyTorch's Gemm (transB) or MatMul + Add. Weights scaled by 1/√fan-in, so activations keep
    /// their size.</summary>
    private static byte[] Float(string network)
    {
        GraphBuilder g = network == "mlp" ? new GraphBuilder([64]) : new GraphBuilder([1, 28, 28]);
        float Scale(long fanIn) => 1 / MathF.Sqrt(fanIn);
        void Dense(string name, long inputs, long outputs, bool gemm)
        {
            if (gemm) g.Then("Gemm", [g.Weights(name + ".weight", [outputs, inputs], scale: Scale(inputs)), g.Weights(name + ".bias", [outputs], scale: 0.1f)], Int("transB", 1));
            else g.Then("MatMul", [g.Weights(name + ".weight", [inputs, outputs], scale: Scale(inputs))]).Then("Add", [g.Weights(name + ".bias", [outputs], scale: 0.1f)]);
        }
        if (network == "mlp")
        {
            Dense("fc1", 64, 32, gemm: false);
            Dense("fc2", 32, 16, gemm: false);
            Dense("fc3", 16, 10, gemm: false);
            return g.Build(10);
        }
        bool gemm = network == "lenet5-gemm";
        g.Then("Conv", [g.Weights("conv1.weight", [6, 1, 5, 5], scale: Scale(25)), g.Weights("conv1.bias", [6], scale: 0.1f)],
                Ints("kernel_shape", 5, 5), Ints("pads", 2, 2, 2, 2))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Conv", [g.Weights("conv2.weight", [16, 6, 5, 5], scale: Scale(150)), g.Weights("conv2.bias", [16], scale: 0.1f)], Ints("kernel_shape", 5, 5))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Flatten", Int("axis", 1));
        Dense("fc1", 400, 120, gemm);
        g.Then("Relu");
        Dense("fc2", 120, 84, gemm);
        g.Then("Relu");
        Dense("fc3", 84, 10, gemm);
        return g.Build(10);
    }

    /// <summary>The matrix layers the import must make: quantize_dynamic's products dynamic, the Gemms it leaves f32 plain.</summary>
    private static (LayerKind, InputQuantization)[] Matrices(string network) => network switch
    {
        "mlp" => [.. Enumerable.Repeat((LayerKind.Dense, InputQuantization.Dynamic), 3)],
        _ => [(LayerKind.Conv2d, InputQuantization.Dynamic), (LayerKind.Conv2d, InputQuantization.Dynamic),
            .. Enumerable.Repeat((LayerKind.Dense, network == "lenet5-gemm" ? InputQuantization.None : InputQuantization.Dynamic), 3)],
    };

    /// <summary>Samples whose ranges differ: around 0, all positive (zero point 0), all negative (zero point 255).</summary>
    internal static float[] Samples(int size) =>
    [
        .. Enumerable.Range(0, 4).SelectMany(seed => Compare.Random(size, seed)),
        .. Compare.Random(size, 4).Select(v => (v + 1) * 3),
        .. Compare.Random(size, 5).Select(v => (v - 1) / 4),
    ];

    public static TheoryData<string, bool, bool> Forms => new()
    {
        { "mlp", false, false },
        { "mlp", true, false },
        { "mlp", true, true },
        { "lenet5-gemm", false, false },
        { "lenet5-gemm", true, false },
        { "lenet5-matmul", false, false },
        { "lenet5-matmul", true, false },
        { "lenet5-matmul", false, true },
    };

    [Theory, MemberData(nameof(Forms))]
    public void OnnxRuntimeAndTheImportedModelAgreeOneSampleAtATime(string network, bool perChannel, bool reduceRange)
    {
        byte[] onnx = QuantizeDynamicRewrite.Apply(Float(network), new QuantizeDynamicRewrite.Options(perChannel, reduceRange));
        GraphProto graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType is "MatMul" or "Conv");
        Assert.Equal(network == "mlp" ? 0 : 2, graph.Node.Count(n => n.OpType == "Reshape"));   // the convolutions' biases

        using Model model = OnnxImporter.Import(onnx);

        Assert.Equal(Matrices(network), model.Layers.Where(l => l.WeightMatrices.Count > 0).Select(l => (l.Kind, l.InputQuantization)));
        // The first MatMul's scales as the file holds them: one per column, or one for all.
        if (network != "lenet5-gemm")
        {
            Layer first = model.Layers.First(l => l.Kind == LayerKind.Dense);
            float[] file = graph.Initializer.Single(t => t.Name == "fc1.weight_scale").FloatData.ToArray();
            int columns = LayerEdits.Outputs(first);
            Assert.Equal(perChannel ? file : Enumerable.Repeat(file[0], columns), first.WeightMatrices[0].Scales.ToArray());
        }
        // The same uint8 inputs and int32 sums in both engines; the f32 scaling and bias round alike but for the order of sums.
        double largest = Compare.SampleBySample(model, onnx, Samples(model.InputShape.ElementCount), 1e-6);
        output.WriteLine($"{network}, per_channel {perChannel}, reduce_range {reduceRange}: largest |ONNX Runtime − runtime| / largest |output| = {largest:G3} at batch 1");
    }

    [Theory]
    [InlineData("mlp", "MatMulInteger 'n0.MatMul_quant'")]
    [InlineData("lenet5-gemm", "ConvInteger 'n0.Conv_quant'")]
    public void Uint8WeightsAreRefusedWithTheirZeroPoint(string network, string product)
    {
        byte[] onnx = QuantizeDynamicRewrite.Apply(Float(network), new QuantizeDynamicRewrite.Options(UInt8Weights: true));

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx));

        Assert.Contains("'x_QuantizeLinear' (DynamicQuantizeLinear)", e.Message);
        Assert.Contains($"the weights of the {product} are UINT8 with zero point ", e.Message);
        Assert.Contains("quantize with weight_type=QuantType.QInt8, or import the float model", e.Message);
        output.WriteLine(e.Message);
    }

    /// <summary>LeNet-5's quantize_dynamic form altered one way each: every alteration is refused, naming the node and what was expected.</summary>
    public static TheoryData<string, string> Alterations => new()
    {
        { "an int32 bias added to the sums before the Cast", "node 0 'x_QuantizeLinear' (DynamicQuantizeLinear): the int32 sums 'n0.Conv_output_quantized' of the ConvInteger 'n0.Conv_quant' go to an Add before the Cast" },
        { "the bias reshaped to (1, 1, 1, −1)", "node 6 'n0.Conv_bias_add' (Add): the bias is 1×1×1×6; expected 6 values, one per output, shaped (c, 1, 1) or (1, c, 1, 1)" },
        { "the bias reshaped to (1, −1, 2, 2)", "node 5 'n0.Conv_bias_reshape_output' (Reshape): the weight 'conv1.bias' (6) cannot be reshaped to (1, -1, 2, 2)" },
    };

    [Theory, MemberData(nameof(Alterations))]
    public void AnAlteredFormIsRefusedWithWhatWasExpected(string alteration, string expected)
    {
        ModelProto proto = ModelProto.Parser.ParseFrom(QuantizeDynamicRewrite.Apply(Float("lenet5-gemm"), new QuantizeDynamicRewrite.Options()));
        GraphProto graph = proto.Graph;
        TensorProto shape = graph.Initializer.Single(t => t.Name == "n0.Conv_bias_reshape_shape");
        switch (alteration)
        {
            case "an int32 bias added to the sums before the Cast":
                NodeProto cast = graph.Node.First(n => n.OpType == "Cast");
                var bias = new TensorProto { Name = "conv1.bias_quantized", DataType = (int)TensorProto.Types.DataType.Int32, Int32Data = { 1, 2, 3, 4, 5, 6 }, Dims = { 1, 6, 1, 1 } };
                graph.Initializer.Add(bias);
                graph.Node.Insert(graph.Node.IndexOf(cast), new NodeProto { OpType = "Add", Name = "conv1.bias_quantizedbias_add", Input = { cast.Input[0], bias.Name }, Output = { "biased" } });
                cast.Input[0] = "biased";
                break;
            case "the bias reshaped to (1, 1, 1, −1)":
                shape.Int64Data[1] = 1;
                shape.Int64Data[3] = -1;
                break;
            case "the bias reshaped to (1, −1, 2, 2)":
                shape.Int64Data[2] = shape.Int64Data[3] = 2;
                break;
        }

        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(proto.ToByteArray()));

        Assert.Contains(expected, e.Message);
        output.WriteLine(e.Message);
    }
}
