using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary><c>elr quantize --activations dynamic</c> (<see cref="ActivationQuantization.Dynamic"/>): which layers quantize their
/// inputs as they run, what stays weight-only, and the refusal when no layer can.</summary>
public sealed class DynamicInputQuantizationTests
{
    private static readonly SampleShape Mnist = new(28, 28, 1);

    /// <summary>LeNet-5 with conv2 and fc1 factorized: convolutions, a factorized convolution, a factorized and a dense matrix layer.</summary>
    private static Model LeNet5() =>
        NetworkExporter.ToModel(ModelZoo.Create("lenet5", Mnist, 10, seed: 5, ranks: FixedRanks.Parse("conv2=8,fc1=12")), new ModelMetadata());

    [Fact]
    public void Every_dense_and_factorized_dense_layer_quantizes_its_inputs_and_the_convolutions_stay_weight_only()
    {
        using Model model = LeNet5();

        (Model dynamic, var report) = WeightQuantization.Apply(model, [], ActivationQuantization.Dynamic);
        (Model weightOnly, _) = WeightQuantization.Apply(model, []);

        using (dynamic)
        using (weightOnly)
        {
            string[] names = LayerNames.Of(dynamic.Layers);
            var byName = names.Zip(dynamic.Layers).ToDictionary(p => p.First, p => p.Second);
            Assert.IsType<FactorizedDenseLayer>(byName["fc1"]);
            Assert.Equal(InputQuantization.Dynamic, byName["fc1"].InputQuantization);
            Assert.Equal(InputQuantization.Dynamic, byName["fc2"].InputQuantization);
            Assert.Equal(InputQuantization.None, byName["conv1"].InputQuantization);
            Assert.Equal(InputQuantization.None, byName["conv2"].InputQuantization);
            Assert.All(dynamic.Layers.SelectMany(l => l.WeightMatrices), m => Assert.Equal(ElementType.Int8, m.ElementType));
            Assert.Equal([false, false, false, true, true, true], report.Select(r => r.DynamicInputs)); // conv1 W, conv2 A B, fc1 A B, fc2 W
            Assert.Equal("fc1,fc2", dynamic.Metadata.Properties[DynamicInputQuantization.LayersProperty]);
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

        (Model dynamic, _) = WeightQuantization.Apply(model, ["fc2"], ActivationQuantization.Dynamic);

        using (dynamic)
        {
            Layer fc2 = dynamic.Layers.Last(l => l is DenseLayer);
            Assert.Equal(InputQuantization.None, fc2.InputQuantization);
            Assert.Equal(ElementType.Float32, fc2.WeightMatrices[0].ElementType);
            Assert.Equal(InputQuantization.Dynamic, dynamic.Layers.OfType<FactorizedDenseLayer>().Single().InputQuantization);
            Assert.Equal("fc1", dynamic.Metadata.Properties[DynamicInputQuantization.LayersProperty]);
        }
    }

    [Fact]
    public void With_no_layer_that_can_take_it_the_refusal_names_each_layer_and_why()
    {
        using Model model = LeNet5();

        var refused = Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, ["fc1", "fc2"], ActivationQuantization.Dynamic));

        Assert.Equal("--activations dynamic applies to Dense and FactorizedDense layers with int8 weights, and this model has none: "
            + "conv1 is a convolution (convolutions stay weight-only: their inputs stay f32); conv2 is a convolution (convolutions stay weight-only: their inputs stay f32); "
            + "fc1 is kept f32 by --keep-float; fc2 is kept f32 by --keep-float. Quantize the weights only (--activations float), or keep fewer layers f32.",
            refused.Message);
    }

    [Fact]
    public void A_depthwise_network_names_its_depthwise_layers_apart_from_the_convolutions()
    {
        using Model model = NetworkExporter.ToModel(ModelZoo.Create("mobilenet-mini", Mnist, 10, seed: 3), new ModelMetadata());

        var refused = Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, ["fc1"], ActivationQuantization.Dynamic));

        Assert.Contains("dw1 is a depthwise convolution (its filters stay f32)", refused.Message);
        Assert.Contains("conv1 is a convolution", refused.Message);
        Assert.Contains("fc1 is kept f32 by --keep-float", refused.Message);
    }

    private static float[] Run(Model model, float[] input, int batch)
    {
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = batch });
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }
}
