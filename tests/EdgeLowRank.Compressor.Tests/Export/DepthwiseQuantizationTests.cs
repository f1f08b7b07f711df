using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Export;

/// <summary><c>elr quantize</c> on a network with depthwise convolutions: their filters are no matrix and stay f32.</summary>
public sealed class DepthwiseQuantizationTests
{
    private static Model MobilenetMini() =>
        NetworkExporter.ToModel(ModelZoo.Create("mobilenet-mini", new SampleShape(28, 28, 1), 10, seed: 3), new ModelMetadata());

    [Fact]
    public void Every_weight_matrix_becomes_int8_and_the_depthwise_filters_stay_as_they_were()
    {
        using Model model = MobilenetMini();

        (Model quantized, IReadOnlyList<WeightQuantization.MatrixReport> report) = WeightQuantization.Apply(model, []);

        using (quantized)
        {
            Assert.Equal(["conv1", "conv2", "conv3", "conv4", "fc1"], report.Select(r => r.Layer));
            Assert.All(quantized.Layers.SelectMany(l => l.WeightMatrices), m => Assert.Equal(ElementType.Int8, m.ElementType));
            var before = model.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
            var after = quantized.Layers.OfType<DepthwiseConv2dLayer>().ToArray();
            Assert.Equal(3, after.Length);
            for (int i = 0; i < after.Length; i++)
            {
                Assert.Equal(before[i].Filters.ToArray(), after[i].Filters.ToArray());
                Assert.Equal("f32", after[i].WeightTypeLabel);
            }
            Assert.Equal(["dw1", "dw2", "dw3"], WeightQuantization.FloatOnlyLayers(quantized));
        }
    }

    [Fact]
    public void Keeping_a_depthwise_layer_float_is_refused_with_the_reason()
    {
        using Model model = MobilenetMini();

        var refused = Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, ["dw2"]));

        Assert.Contains("dw2, a depthwise convolution, whose filters are no matrix and always stay f32", refused.Message);
        Assert.Contains("conv1, conv2, conv3, conv4, fc1", refused.Message);
    }

    [Fact]
    public void A_depthwise_layer_and_a_misspelt_one_are_both_named()
    {
        using Model model = MobilenetMini();

        var refused = Assert.Throws<ArgumentException>(() => WeightQuantization.Apply(model, ["dw2", "fc9"]));

        Assert.Contains("dw2, a depthwise convolution, whose filters are no matrix and always stay f32, and fc9, which is not a layer with weights; drop them", refused.Message);
    }
}
