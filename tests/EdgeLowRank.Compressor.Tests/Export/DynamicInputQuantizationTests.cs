using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary><c>elr quantize --activations dynamic</c> (<see cref="ActivationQuantization.Dynamic"/>): which layers quantize their
/// inputs as they run (convolutions too, since format 1.11), or only those of the kinds <see cref="DynamicOps"/> selects, what
/// stays weight-only, and the refusal when no layer can.</summary>
public sealed class DynamicInputQuantizationTests
{
    private static readonly SampleShape Mnist = new(28, 28, 1);

    /// <summary>LeNet-5 with conv2 and fc1 factorized: convolutions, a factorized convolution, a factorized and a dense matrix layer.</summary>
    private static Model LeNet5() =>
        NetworkExporter.ToModel(ModelZoo.Create("lenet5", Mnist, 10, seed: 5, ranks: FixedRanks.Parse("conv2=8,fc1=12")), new ModelMetadata());

    [Fact]
    public void Every_matrix_layer_convolutions_included_quantizes_its_inputs()
    {
        using Model model = LeNet5();

        (Model dynamic, var report) = WeightQuantization.Apply(model, [], ActivationQuantization.Dynamic);
        (Model weightOnly, _) = WeightQuantization.Apply(model, []);

        using (dynamic)
        using (weightOnly)
        {
            var byName = ByName(dynamic);
            Assert.IsType<FactorizedConv2dLayer>(byName["conv2"]);
            Assert.IsType<FactorizedDenseLayer>(byName["fc1"]);
            Assert.All(new[] { "conv1", "conv2", "fc1", "fc2" }, name => Assert.Equal(InputQuantization.Dynamic, byName[name].InputQuantization));
            Assert.All(dynamic.Layers.SelectMany(l => l.WeightMatrices), m => Assert.Equal(ElementType.Int8, m.ElementType));
            Assert.Equal([true, true, true, true, true, true], report.Select(r => r.DynamicInputs)); // conv1 W, conv2 A B, fc1 A B, fc2 W
            Assert.Equal("conv1,conv2,fc1,fc2", dynamic.Metadata.Properties[DynamicInputQuantization.LayersProperty]);
            Assert.Equal("dense,conv", dynamic.Metadata.Properties[DynamicInputQuantization.OpsProperty]);
            Assert.Equal(DynamicInputQuantization.Scheme, dynamic.Metadata.Properties[DynamicInputQuantization.Property]);
            Assert.False(weightOnly.Metadata.Properties.ContainsKey(DynamicInputQuantization.Property));
            // The same int8 weights; only the arithmetic differs, and the runtime's outputs show it.
            foreach (var (a, b) in dynamic.Layers.SelectMany(l => l.WeightMatrices).Zip(weightOnly.Layers.SelectMany(l => l.WeightMatrices)))
                Assert.Equal(a.QuantizedToRowMajor(), b.QuantizedToRowMajor());
            float[] input = Enumerable.Range(0, 2 * 784).Select(i => (float)((i * 37 % 101) / 100.0)).ToArray();
            float[] integer = Run(dynamic, input, 2), floating = Run(weightOnly, input, 2);
            Assert.NotEqual(floating, integer);
            Assert.All(integer.Zip(floating), p => Assert.True(Math.Abs(p.First - p.Second) < 0.05, $"{p.First} against {p.Second}"));
        }
    }

    [Fact]
    public void A_layer_kept_float_keeps_f32_inputs_and_weights()
    {
        using Model model = LeNet5();

        (Model dynamic, _) = WeightQuantization.Apply(model, ["conv1", "fc2"], ActivationQuantization.Dynamic);

        using (dynamic)
        {
            var byName = ByName(dynamic);
            foreach (string kept in new[] { "conv1", "fc2" })
            {
                Assert.Equal(InputQuantization.None, byName[kept].InputQuantization);
                Assert.Equal(ElementType.Float32, byName[kept].WeightMatrices[0].ElementType);
            }
            Assert.Equal(InputQuantization.Dynamic, byName["conv2"].InputQuantization);
            Assert.Equal(InputQuantization.Dynamic, byName["fc1"].InputQuantization);
            Assert.Equal("conv2,fc1", dynamic.Metadata.Properties[DynamicInputQuantization.LayersProperty]);
        }
    }

    [Fact]
    public void With_no_layer_that_can_take_it_the_refusal_names_each_layer_and_why()
    {
        // A 1×1 convolution to 84 channels kept f32, then a dense layer with more inputs than an int32 sum holds: nothing left to mark.
        using Model model = TooWideForIntegers.Create();

        var refused = Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, ["conv1"], ActivationQuantization.Dynamic));

        Assert.Equal("--activations dynamic applies to Dense, FactorizedDense, Conv2d and FactorizedConv2d layers with int8 weights, and this model has none: "
            + "conv1 is kept f32 by --keep-float; fc1 has 65,856 inputs to a product, more than the 65,536 an int32 sum holds. "
            + "Quantize the weights only (--activations float), or keep fewer layers f32.",
            refused.Message);
    }

    [Theory]
    [InlineData(DynamicOps.Dense, "fc1,fc2", "dense")]
    [InlineData(DynamicOps.Convolution, "conv1,conv2", "conv")]
    public void Only_the_kinds_in_dynamic_ops_quantize_their_inputs_and_the_others_stay_weight_only(DynamicOps ops, string dynamicLayers, string recordedOps)
    {
        using Model model = LeNet5();

        (Model dynamic, var report) = WeightQuantization.Apply(model, [], ActivationQuantization.Dynamic, ops);

        using (dynamic)
        {
            var byName = ByName(dynamic);
            string[] selected = dynamicLayers.Split(',');
            foreach (string name in new[] { "conv1", "conv2", "fc1", "fc2" })
                Assert.Equal(selected.Contains(name) ? InputQuantization.Dynamic : InputQuantization.None, byName[name].InputQuantization);
            Assert.All(dynamic.Layers.SelectMany(l => l.WeightMatrices), m => Assert.Equal(ElementType.Int8, m.ElementType));
            Assert.Equal(report.Select(r => selected.Contains(r.Layer)), report.Select(r => r.DynamicInputs));
            Assert.Equal(dynamicLayers, dynamic.Metadata.Properties[DynamicInputQuantization.LayersProperty]);
            Assert.Equal(recordedOps, dynamic.Metadata.Properties[DynamicInputQuantization.OpsProperty]);
        }
    }

    [Theory]
    [InlineData(DynamicOps.Dense, "conv1 is a convolution, not among --dynamic-ops dense", "conv2 is a convolution, not among --dynamic-ops dense")]
    [InlineData(DynamicOps.Convolution, "fc1 is a dense layer, not among --dynamic-ops conv", "fc2 is a dense layer, not among --dynamic-ops conv")]
    [InlineData(DynamicOps.All)]
    public void A_layer_left_out_by_dynamic_ops_is_said_to_be(DynamicOps ops, params string[] reasons)
    {
        using Model model = LeNet5();

        DynamicInputQuantization.Eligible(model, [], ops, out var why);

        Assert.Equal(reasons, why);
    }

    [Fact]
    public void With_no_layer_of_the_kinds_in_dynamic_ops_that_can_take_it_the_refusal_says_so()
    {
        // The 1×1 convolution could; --dynamic-ops dense leaves it out, and the dense layer is too wide.
        using Model model = TooWideForIntegers.Create();

        var refused = Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, [], ActivationQuantization.Dynamic, DynamicOps.Dense));

        Assert.Equal("--activations dynamic applies to Dense, FactorizedDense, Conv2d and FactorizedConv2d layers with int8 weights, and this model has none: "
            + "conv1 is a convolution, not among --dynamic-ops dense; fc1 has 65,856 inputs to a product, more than the 65,536 an int32 sum holds. "
            + "Quantize the weights only (--activations float), or give --dynamic-ops dense,conv.",
            refused.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_selection_of_no_kind_or_an_unknown_one_is_refused(int ops)
    {
        using Model model = LeNet5();

        Assert.Throws<ArgumentOutOfRangeException>(() => DynamicInputQuantization.Eligible(model, [], (DynamicOps)ops, out _));
    }

    [Fact]
    public void Depthwise_convolutions_stay_weight_only_and_the_other_convolutions_quantize_their_inputs()
    {
        using Model model = NetworkExporter.ToModel(ModelZoo.Create("mobilenet-mini", Mnist, 10, seed: 3), new ModelMetadata());

        (Model dynamic, _) = WeightQuantization.Apply(model, [], ActivationQuantization.Dynamic);

        using (dynamic)
        {
            var depthwise = dynamic.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
            Assert.NotEmpty(depthwise);
            Assert.All(depthwise, d => Assert.Equal(InputQuantization.None, d.InputQuantization));
            var convolutions = dynamic.Layers.OfType<Conv2dLayer>().ToArray();
            Assert.NotEmpty(convolutions);
            Assert.All(convolutions, c => Assert.Equal(InputQuantization.Dynamic, c.InputQuantization));
            Assert.DoesNotContain("dw", dynamic.Metadata.Properties[DynamicInputQuantization.LayersProperty]);
        }
    }

    private static Dictionary<string, Layer> ByName(Model model) =>
        LayerNames.Of(model.Layers).Zip(model.Layers).ToDictionary(p => p.First, p => p.Second);

    private static float[] Run(Model model, float[] input, int batch)
    {
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch });
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }
}
