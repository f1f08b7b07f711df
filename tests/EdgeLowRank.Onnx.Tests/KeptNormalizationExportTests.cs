using EdgeLowRank.Runtime.Layers;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>The input's normalization that the import keeps as a layer of its own (a 1×1 depthwise convolution before a
/// first layer that cannot absorb it) exported as the per-channel affine map it is, a Mul and an Add of constants, not a
/// Conv of group c (which a user trial found slower in ONNX Runtime than PyTorch's own file), and read back as the same layer.</summary>
public sealed class KeptNormalizationExportTests
{
    [Theory]
    [InlineData(1)]   // MNIST's (0.1307, 0.3081) before LeNet-5's Conv2d(1, 6, 5, padding=2)
    [InlineData(3)]   // ImageNet's before a torchvision stem
    public void A_kept_normalization_is_exported_as_a_Mul_and_an_Add_and_imported_back_as_the_same_layer(int channels)
    {
        using Model model = Imported(channels);
        Assert.IsType<DepthwiseConv2dLayer>(model.Layers[0]);

        GraphProto graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model)).Graph;

        Assert.Equal(["Mul", "Add", "Conv"], graph.Node.Take(3).Select(n => n.OpType));
        Assert.Single(graph.Node, n => n.OpType == "Conv");   // the stem's alone: no Conv of group c for the normalization
        Assert.Equal([1L, channels, 1, 1], graph.Initializer.Single(t => t.Name == graph.Node[0].Input[1]).Dims);
        using Model back = OnnxImporter.Import(OnnxExporter.Export(model));
        var (kept, again) = ((DepthwiseConv2dLayer)model.Layers[0], Assert.IsType<DepthwiseConv2dLayer>(back.Layers[0]));
        Assert.Equal((kept.Channels, kept.Geometry, kept.Activation), (again.Channels, again.Geometry, again.Activation));
        Assert.Equal(kept.Filters.ToArray(), again.Filters.ToArray());
        Assert.Equal(kept.Bias.ToArray(), again.Bias.ToArray());
        Assert.Equal(model.Layers.Select(l => l.Kind), back.Layers.Select(l => l.Kind));
        Assert.Equal(model.Metadata, back.Metadata);
        float[] input = Compare.Random(3 * model.InputShape.ElementCount, seed: 5);
        Assert.Equal(Compare.RunRuntime(model, input, 3), Compare.RunRuntime(back, input, 3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void OnnxRuntime_computes_the_normalization_bit_for_bit_as_the_runtime_does_and_the_network_within_1e_5(int channels)
    {
        using Model model = Imported(channels);
        // The normalization alone, its image the output: with fewer channels than a vector's lanes the runtime rounds the
        // product, then the sum, as ONNX Runtime's Mul and Add do.
        using var alone = new Model(model.InputShape, [model.Layers[0]], model.Metadata);
        float[] input = Compare.Random(4 * model.InputShape.ElementCount, seed: 11);
        var onnxInput = new float[input.Length];
        ChannelsFirst.ToOnnxLayout(input, model.InputShape, onnxInput);
        long[] shape = [4, .. ChannelsFirst.OnnxShape(model.InputShape).Select(d => (long)d)];

        Assert.Equal(Compare.RunRuntime(alone, input, 4), OrtRunner.Run(OnnxExporter.Export(alone), onnxInput, shape));
        Compare.Close(OrtRunner.Run(OnnxExporter.Export(model), onnxInput, shape), Compare.RunRuntime(model, input, 4));
    }

    [Fact]
    public void With_as_many_channels_as_a_vector_holds_the_runtime_fuses_the_multiply_add_and_agrees_within_1e_5()
    {
        // 11 channels, above Vector<float>.Count (8 on x64, 4 on arm64): the runtime's fused path, with
        // one rounding where ONNX Runtime's Mul and Add make two, which docs/ONNX.md says may differ by that rounding.
        using Model model = Imported(11);
        using var alone = new Model(model.InputShape, [model.Layers[0]], model.Metadata);
        float[] input = Compare.Random(4 * model.InputShape.ElementCount, seed: 11);
        var onnxInput = new float[input.Length];
        ChannelsFirst.ToOnnxLayout(input, model.InputShape, onnxInput);
        long[] shape = [4, .. ChannelsFirst.OnnxShape(model.InputShape).Select(d => (long)d)];

        Compare.Close(OrtRunner.Run(OnnxExporter.Export(alone), onnxInput, shape), Compare.RunRuntime(alone, input, 4));
        Compare.Close(OrtRunner.Run(OnnxExporter.Export(model), onnxInput, shape), Compare.RunRuntime(model, input, 4));
    }

    [Fact]
    public void A_kept_normalization_stays_a_layer_when_the_first_layer_could_absorb_it()
    {
        // An unpadded convolution would absorb the normalization; the file records that it was the model's first layer, so
        // folding it would make another network (other roundings, and a layer elr compress then trains).
        using Model imported = Imported(3);
        var layers = imported.Layers.ToArray();
        var stem = (Conv2dLayer)layers[1];
        layers[1] = new Conv2dLayer(stem.Weights, stem.Bias, stem.InputChannels, new ConvolutionGeometry(3, 2, 0), stem.Activation);
        layers[3] = new DenseLayer(PackedMatrix.FromRowMajor(Compare.Random(36 * 5, 3), 36, 5), Compare.Random(5, 4));
        using var model = new Model(imported.InputShape, layers, imported.Metadata);

        using Model back = OnnxImporter.Import(OnnxExporter.Export(model));

        Assert.Equal(model.Layers.Select(l => l.Kind), back.Layers.Select(l => l.Kind));
        Assert.Equal(((DepthwiseConv2dLayer)model.Layers[0]).Filters.ToArray(), ((DepthwiseConv2dLayer)back.Layers[0]).Filters.ToArray());
        Assert.Equal(model.Layers[1].WeightMatrices[0].ToRowMajor(), back.Layers[1].WeightMatrices[0].ToRowMajor());
    }

    [Fact]
    public void A_1x1_depthwise_first_layer_the_import_did_not_keep_is_still_a_Conv()
    {
        // Without the import's record the layer is the network's own, exported as any depthwise convolution.
        using Model imported = Imported(3);
        var properties = imported.Metadata.Properties.Where(p => p.Key != OnnxImporter.InputNormalizationLayerProperty).ToDictionary();
        using var model = new Model(imported.InputShape, imported.Layers.ToArray(), imported.Metadata with { Properties = properties });

        GraphProto graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model)).Graph;

        Assert.Equal("Conv", graph.Node[0].OpType);
        Assert.Equal(3, graph.Node[0].Attribute.Single(a => a.Name == "group").I);
    }

    /// <summary>A c × 7 × 7 image through a padded 3×3 convolution of stride 2 to 4 channels, Relu, Flatten, Gemm to 5,
    /// imported with a normalization per channel, which the padded convolution cannot absorb: the model starts with it as a layer.</summary>
    private static Model Imported(int channels)
    {
        var g = new GraphBuilder([channels, 7, 7]);
        g.Then("Conv", [g.Weights("w", [4, channels, 3, 3]), g.Weights("b", [4])], Ints("pads", 1, 1, 1, 1), Ints("strides", 2, 2))
            .Then("Relu")
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [64, 5])]);
        var normalization = channels switch
        {
            1 => new InputNormalization([0.1307f], [0.3081f]),
            3 => new InputNormalization([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]),
            _ => new InputNormalization([.. Enumerable.Range(0, channels).Select(c => 0.1f + 0.05f * c)], [.. Enumerable.Range(0, channels).Select(c => 0.2f + 0.01f * c)]),
        };
        return OnnxImporter.Import(g.Build(5), normalization);
    }
}
