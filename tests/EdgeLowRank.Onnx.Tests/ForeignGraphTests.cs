using EdgeLowRank.Runtime.Layers;
using Onnx;
using static EdgeLowRank.Onnx.OnnxProto;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Graphs written the way other tools write them, imported and run by the runtime, against ONNX Runtime on the
/// same file and the same images (channels-first for it, channels-last for the runtime).</summary>
public sealed class ForeignGraphTests
{
    [Fact]
    public void APyTorchStyleMlpWithGemmTransposedWeightsAndDropout()
    {
        var g = new GraphBuilder([20], opset: 11);
        g.Then("Gemm", [g.Weights("fc1.weight", [16, 20]), g.Weights("fc1.bias", [16])], Int("transB", 1))
            .Then("Relu")
            .Then("Dropout", Float("ratio", 0.5f))
            .Then("Gemm", [g.Weights("fc2.weight", [10, 16]), g.Weights("fc2.bias", [10])], Int("transB", 1), Float("alpha", 1), Float("beta", 1))
            .Then("Softmax", Int("axis", 1));

        Model model = Compare.ImportAndCompare(g.Build(10), [20]);

        Assert.Equal([LayerKind.Dense, LayerKind.Dense, LayerKind.Softmax], model.Layers.Select(l => l.Kind));
        Assert.Equal(Activation.Relu, model.Layers[0].Activation);
    }

    [Fact]
    public void ACnnWithBatchNormalizationKerasBiasesAReshapeAndThreeChannels()
    {
        var g = new GraphBuilder([3, 9, 9]);
        g.Then("Conv", [g.Weights("c1.w", [4, 3, 3, 3]), g.Weights("c1.b", [4])], Ints("pads", 1, 1, 1, 1))
            .Then("BatchNormalization", [g.Weights("bn1.scale", [4]), g.Weights("bn1.b", [4]), g.Weights("bn1.mean", [4]), g.Weights("bn1.var", [4], positive: true)], Float("epsilon", 1e-3f))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Conv", [g.Weights("c2.w", [5, 4, 3, 3])], Ints("kernel_shape", 3, 3))
            .Then("Add", [g.Weights("c2.b", [1, 5, 1, 1])])
            .Then("Relu")
            .Then("Reshape", [Int64Initializer(g.Graph, "shape", [-1, 20], 2)])
            .Then("Gemm", [g.Weights("fc1.w", [6, 20]), g.Weights("fc1.b", [1, 6])], Int("transB", 1))
            .Then("BatchNormalization", [g.Weights("bn2.scale", [6]), g.Weights("bn2.b", [6]), g.Weights("bn2.mean", [6]), g.Weights("bn2.var", [6], positive: true)])
            .Then("Relu")
            .Then("MatMul", [g.Weights("fc2.w", [6, 3])])
            .Then("Add", [g.Weights("fc2.b", [3])])
            .Then("Identity")
            .Then("Softmax", Int("axis", -1));

        Model model = Compare.ImportAndCompare(g.Build(3), [3, 9, 9]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Softmax],
            model.Layers.Select(l => l.Kind));
        Assert.Equal(new TensorShape(9, 9, 3), model.InputShape);
    }

    [Fact]
    public void TwoLinearMapsInARowAreOneFactorizedLayer()
    {
        var g = new GraphBuilder([2, 6, 6]);
        g.Then("Conv", [g.Weights("a.w", [3, 2, 3, 3])])
            .Then("Conv", [g.Weights("b.w", [4, 3, 1, 1]), g.Weights("b.b", [4])])
            .Then("Relu")
            .Then("Transpose", Ints("perm", 0, 2, 3, 1))
            .Then("Flatten")
            .Then("MatMul", [g.Weights("u", [64, 5])])
            .Then("MatMul", [g.Weights("v", [5, 7])])
            .Then("Add", [g.Weights("bias", [7])])
            .Then("BatchNormalization", [g.Weights("bn.scale", [7]), g.Weights("bn.b", [7]), g.Weights("bn.mean", [7]), g.Weights("bn.var", [7], positive: true)]);

        Model model = Compare.ImportAndCompare(g.Build(7), [2, 6, 6]);

        Assert.Equal([LayerKind.FactorizedConv2d, LayerKind.Flatten, LayerKind.FactorizedDense], model.Layers.Select(l => l.Kind));
        Assert.Equal([3, 0, 5], model.Layers.Select(l => l.Rank));
    }

    [Fact]
    public void TwoLinearMapsWithoutABottleneckStayTwoLayers()
    {
        var g = new GraphBuilder([8]);
        g.Then("Gemm", [g.Weights("w1", [50, 8])], Int("transB", 1))      // 8 → 50 → 3: no low-rank product
            .Then("Gemm", [g.Weights("w2", [3, 50]), g.Weights("b2", [3])], Int("transB", 1))
            .Then("Relu")
            .Then("MatMul", [g.Weights("u", [3, 2])])                       // 3 → 2 → 5: a rank-2 product
            .Then("MatMul", [g.Weights("v", [2, 5])]);

        Model model = Compare.ImportAndCompare(g.Build(5), [8]);

        Assert.Equal([LayerKind.Dense, LayerKind.Dense, LayerKind.FactorizedDense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void Int8ConvolutionKernelsWithAScalePerOutputChannel()
    {
        var g = new GraphBuilder([2, 6, 6]);
        sbyte[] kernel = Enumerable.Range(0, 4 * 2 * 3 * 3).Select(i => (sbyte)((i * 29 % 255) - 127)).ToArray();
        string w = Node(g.Graph, "DequantizeLinear", "c.w", [Int8Initializer(g.Graph, "c.w.q", kernel, 4, 2, 3, 3),
            Initializer(g.Graph, "c.w.scale", [0.01f, 0.02f, 0.005f, 0.03f], 4)], Int("axis", 0));
        g.Then("Conv", [w, g.Weights("c.b", [4])], Ints("pads", 1, 1, 1, 1))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc.w", [36, 3])]);

        Model model = Compare.ImportAndCompare(g.Build(3), [2, 6, 6]);

        PackedMatrix imported = model.Layers[0].WeightMatrices[0];
        Assert.Equal(ElementType.Int8, imported.ElementType);
        Assert.Equal([0.01f, 0.02f, 0.005f, 0.03f], imported.Scales.ToArray());
    }

    [Theory]
    [InlineData(false)]   // an unpadded int8 convolution first
    [InlineData(true)]    // a flatten, then an int8 Gemm
    public void A_normalization_before_int8_weights_of_an_image_stays_a_layer_of_its_own(bool dense)
    {
        // int8 weights cannot absorb a normalization; an image's, per channel, can stay a 1×1 depthwise layer before them.
        var g = new GraphBuilder([2, 5, 5]);
        sbyte[] values = Enumerable.Range(0, dense ? 50 * 3 : 3 * 2 * 3 * 3).Select(i => (sbyte)((i * 29 % 255) - 127)).ToArray();
        string w = dense
            ? Node(g.Graph, "DequantizeLinear", "w", [Int8Initializer(g.Graph, "w.q", values, 3, 50), Initializer(g.Graph, "w.s", [0.01f, 0.02f, 0.03f], 3)], Int("axis", 0))
            : Node(g.Graph, "DequantizeLinear", "w", [Int8Initializer(g.Graph, "w.q", values, 3, 2, 3, 3), Initializer(g.Graph, "w.s", [0.02f])]);
        if (dense) g.Then("Flatten").Then("Gemm", [w, g.Weights("b", [3])], Int("transB", 1));
        else g.Then("Conv", [w, g.Weights("b", [3])]).Then("Flatten").Then("Gemm", [g.Weights("fc", [27, 4])]);

        Model model = Compare.ImportAndCompare(g.Build(dense ? 3 : 4), [2, 5, 5], new InputNormalization([0.4f, 0.6f], [0.2f, 0.3f]));

        Assert.Equal(dense ? [LayerKind.DepthwiseConv2d, LayerKind.Flatten, LayerKind.Dense] : [LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal(ElementType.Int8, model.Layers[dense ? 2 : 1].WeightMatrices[0].ElementType);
    }

    [Fact]
    public void IdentitiesOfWeightsAreThoseWeights()
    {
        // As torch.onnx.export (1.13) writes equal initializers: one kept, each other use an Identity of it at the start of
        // the graph (scripts/export-torch-models.py's untrained ResNet-18 is the real file). Here also an Identity of an
        // Identity, one of int8 weights behind a DequantizeLinear, and one that a bias Add reads, which stays a bias, not
        // a residual connection of two computed tensors.
        var g = new GraphBuilder([2, 6, 6]);
        string bias = g.Weights("c1.b", [4]);
        sbyte[] kernel = Enumerable.Range(0, 4 * 4 * 3 * 3).Select(i => (sbyte)((i * 29 % 255) - 127)).ToArray();
        string int8 = Node(g.Graph, "DequantizeLinear", "c2.w", [Int8Initializer(g.Graph, "c2.w.q", kernel, 4, 4, 3, 3), Initializer(g.Graph, "c2.w.scale", [0.02f])]);
        string int8Alias = Node(g.Graph, "Identity", "Identity_0", [int8]);
        string biasAlias = Node(g.Graph, "Identity", "Identity_1", [bias]);
        string aliasOfAlias = Node(g.Graph, "Identity", "Identity_2", [biasAlias]);
        g.Then("Conv", [g.Weights("c1.w", [4, 2, 3, 3]), bias], Ints("pads", 1, 1, 1, 1))
            .Then("Relu")
            .Then("Conv", [int8Alias, biasAlias], Ints("pads", 1, 1, 1, 1))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Flatten")
            .Then("MatMul", [g.Weights("fc.w", [36, 4])])
            .Then("Add", [aliasOfAlias]);

        Model model = Compare.ImportAndCompare(g.Build(4), [2, 6, 6]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal(ElementType.Int8, model.Layers[1].WeightMatrices[0].ElementType);
    }

    [Fact]
    public void SamePaddingAndAFinalSoftmaxOfTheOldOpsets()
    {
        var g = new GraphBuilder([1, 5, 5], opset: 9);
        g.Then("Conv", [g.Weights("c.w", [2, 1, 3, 3]), g.Weights("c.b", [2])], Ints("kernel_shape", 3, 3), String("auto_pad", "SAME_UPPER"))
            .Then("Flatten", Int("axis", 1))
            .Then("Gemm", [g.Weights("fc.w", [50, 4]), g.Weights("fc.b", [4])])
            .Then("Softmax");

        Model model = Compare.ImportAndCompare(g.Build(4), [1, 5, 5]);

        Assert.Equal(1, ((Conv2dLayer)model.Layers[0]).Geometry.Pads.Top);
    }

    [Fact]
    public void Int8WeightsBehindDequantizeLinearStayInt8()
    {
        var g = new GraphBuilder([12]);
        sbyte[] first = Enumerable.Range(0, 96).Select(i => (sbyte)((i * 37 % 255) - 127)).ToArray();
        sbyte[] second = Enumerable.Range(0, 32).Select(i => (sbyte)((i * 53 % 251) - 125)).ToArray();
        string w1 = Node(g.Graph, "DequantizeLinear", "w1", [Int8Initializer(g.Graph, "w1.q", first, 8, 12),
            Initializer(g.Graph, "w1.scale", Enumerable.Range(1, 8).Select(i => i / 512f).ToArray(), 8), Int8Initializer(g.Graph, "w1.zero", new sbyte[8], 8)], Int("axis", 0));
        string w2 = Node(g.Graph, "DequantizeLinear", "w2", [Int8Initializer(g.Graph, "w2.q", second, 8, 4), Initializer(g.Graph, "w2.scale", [1 / 300f])]);
        g.Then("Gemm", [w1, g.Weights("b1", [8])], Int("transB", 1))
            .Then("Relu")
            .Then("MatMul", [w2])
            .Then("Add", [g.Weights("b2", [4])]);

        Model model = Compare.ImportAndCompare(g.Build(4), [12]);

        Assert.All(model.Layers.SelectMany(l => l.WeightMatrices), m => Assert.Equal(ElementType.Int8, m.ElementType));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i / 512f), model.Layers[0].WeightMatrices[0].Scales.ToArray());
        Assert.Equal(Enumerable.Repeat(1 / 300f, 4), model.Layers[1].WeightMatrices[0].Scales.ToArray());
    }

    [Fact]
    public void ANormalizationInTheGraphIsFoldedIntoTheFirstConvolution()
    {
        var g = new GraphBuilder([3, 6, 6]);
        g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f, 0.25f, -0.1f], 1, 3, 1, 1)])
            .Then("Div", [Initializer(g.Graph, "std", [0.2f, 0.4f, 0.3f], 3, 1, 1)])
            .Then("Conv", [g.Weights("w", [4, 3, 3, 3]), g.Weights("b", [4])], Ints("strides", 2, 2))
            .Then("Relu")
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [16, 5])]);

        Model model = Compare.ImportAndCompare(g.Build(5), [3, 6, 6]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Theory]
    [InlineData(10)]   // min and max attributes
    [InlineData(11)]   // inputs
    public void AClipInTheFormOfItsOpset(int opset)
    {
        var g = new GraphBuilder([20], opset);
        g.Then("Gemm", [g.Weights("w", [20, 10], scale: 10), g.Weights("b", [10])]);   // outputs beyond 6, for the bound to clamp
        if (opset < 11) g.Then("Clip", Float("min", 0), Float("max", 6));
        else g.Then("Clip", [Initializer(g.Graph, "min", [0f]), Initializer(g.Graph, "max", [6f])]);

        Model model = Compare.ImportAndCompare(g.Build(10), [20]);

        Assert.Equal([LayerKind.Dense, LayerKind.Relu6], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void APerElementNormalizationOfAnImageOfThreeChannelsIsFoldedIntoTheFirstGemm()
    {
        // One mean and one scale per element in ONNX's (c, h, w) order, which the import puts in the runtime's (h, w, c), on
        // top of --input-mean and --input-std per channel: the shift and the scale both per element.
        var g = new GraphBuilder([3, 4, 5]);
        g.Then("Sub", [g.Weights("mean", [1, 3, 4, 5])])
            .Then("Mul", [g.Weights("scale", [3, 4, 5], positive: true)])
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [60, 4]), g.Weights("fc.b", [4])]);

        Model model = Compare.ImportAndCompare(g.Build(4), [3, 4, 5], new InputNormalization([0.4f, 0.5f, 0.6f], [0.2f, 0.3f, 0.25f]));

        Assert.Equal([LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void AKerasStyleRescalingOfAVectorIsFoldedIntoTheFirstMatMul()
    {
        var g = new GraphBuilder([6]);
        g.Then("Mul", [Initializer(g.Graph, "scale", [1 / 255f])])
            .Then("Add", [Initializer(g.Graph, "offset", [-0.5f, 0, 0.5f, 1, -1, 2], 6)])
            .Then("MatMul", [g.Weights("w", [6, 4])])
            .Then("Add", [g.Weights("b", [4])]);

        Compare.ImportAndCompare(g.Build(4), [6]);
    }

    [Fact]
    public void TheMeanAndStdANetworkWasTrainedWithAreFoldedIntoItsFirstLayer()
    {
        var g = new GraphBuilder([1, 5, 5]);
        g.Then("Conv", [g.Weights("w", [3, 1, 3, 3]), g.Weights("b", [3])])
            .Then("Relu")
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [27, 4])]);
        var normalization = new InputNormalization([0.1307f], [0.3081f]);

        // ONNX Runtime gets (x − 0.1307) / 0.3081, as transforms.Normalize gives the network; the runtime the pixels x.
        Model model = Compare.ImportAndCompare(g.Build(4), [1, 5, 5], normalization);

        Assert.Contains("folded into the first layer", model.Metadata.Properties[ModelMetadata.InputNormalizationProperty]);
        Assert.False(model.Metadata.Properties.ContainsKey(OnnxImporter.InputNormalizationLayerProperty));   // no layer for elr compress to keep fixed
    }

    [Fact]
    public void A_folded_normalization_drops_the_accuracy_an_export_carries_which_was_measured_without_it()
    {
        // A digits MLP exported by elr at 97.21% and imported back with --input-mean 0.5 --input-std 0.5 kept the figure
        // and scored 94.99%: the folded normalization makes another network.
        var g = new GraphBuilder([1, 4, 4]);
        g.Then("Flatten").Then("Gemm", [g.Weights("fc", [16, 3])]);
        byte[] onnx = g.Build(3, model =>
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.producer", Value = "elr" });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.accuracy", Value = "0.9721" });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.reference_accuracy", Value = "0.9750" });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.property.train.validation-accuracy", Value = "0.9800" });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "edgelowrank.property.train.seed", Value = "7" });
        });

        ModelMetadata carried = OnnxImporter.Import(onnx).Metadata, folded = OnnxImporter.Import(onnx, new InputNormalization([0.5f], [0.5f])).Metadata;

        Assert.Equal((0.9721, 0.975, "0.9800"), (carried.Accuracy, carried.ReferenceAccuracy, carried.Properties["train.validation-accuracy"]));
        Assert.Equal((null, null), (folded.Accuracy, folded.ReferenceAccuracy));
        Assert.False(folded.Properties.ContainsKey("train.validation-accuracy"));
        Assert.Equal("7", folded.Properties["train.seed"]);   // what is no measurement stays
    }

    [Theory]
    [InlineData(1, 5)]   // LeNet-5 as PyTorch writes it, Conv2d(1, 6, 5, padding=2), on MNIST normalized by (0.1307, 0.3081)
    [InlineData(3, 3)]   // a torchvision stem, a padded 3×3 convolution of stride 2, on ImageNet's means and deviations
    [InlineData(3, 2)]   // TensorFlow's SAME with a kernel of 2: nothing above or left, a row below and a column right
    public void AMeanBeforeAPaddedConvolutionIsKeptAsA1x1DepthwiseLayer(int channels, int k)
    {
        // The padding stands for normalized zeros, pixels equal to the mean, so the mean cannot be folded into the kernel.
        var g = new GraphBuilder([channels, 7, 7]);
        long before = (k - 1) / 2, after = k / 2;
        g.Then("Conv", [g.Weights("w", [4, channels, k, k]), g.Weights("b", [4])], Ints("pads", before, before, after, after), Ints("strides", 2, 2))
            .Then("Relu")
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [64, 5])]);
        var normalization = channels == 1
            ? new InputNormalization([0.1307f], [0.3081f])
            : new InputNormalization([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

        Model model = Compare.ImportAndCompare(g.Build(5), [channels, 7, 7], normalization);

        Assert.Equal([LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        var kept = (DepthwiseConv2dLayer)model.Layers[0];
        Assert.Equal(new ConvolutionGeometry(1), kept.Geometry);
        Assert.Equal(normalization.Std.Select(s => 1 / s), kept.Filters.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(normalization.Mean.Zip(normalization.Std, (m, s) => -m / s), kept.Bias.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Contains("kept as a 1×1 depthwise convolution", model.Metadata.Properties[ModelMetadata.InputNormalizationProperty]);
        Assert.Equal("0", model.Metadata.Properties[OnnxImporter.InputNormalizationLayerProperty]);
    }

    [Fact]
    public void AMeanInTheGraphBeforeAPaddedConvolutionIsKeptToo()
    {
        var g = new GraphBuilder([2, 6, 6]);
        g.Then("Sub", [Initializer(g.Graph, "mean", [0.5f, -0.25f], 1, 2, 1, 1)])
            .Then("Div", [Initializer(g.Graph, "std", [0.2f, 0.4f], 2, 1, 1)])
            .Then("Conv", [g.Weights("w", [3, 2, 3, 3])], Ints("pads", 1, 1, 1, 1))
            .Then("Conv", [g.Weights("v", [4, 3, 1, 1])])
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [144, 5])]);

        Model model = Compare.ImportAndCompare(g.Build(5), [2, 6, 6]);

        // The kept layer ends the normalization, so the two convolutions still pair into one factorized layer.
        Assert.Equal([LayerKind.DepthwiseConv2d, LayerKind.FactorizedConv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void AScaleAloneIsStillFoldedIntoAPaddedConvolution()
    {
        // Scaled padding is still zero: only a shift needs a layer of its own.
        var g = new GraphBuilder([1, 5, 5]);
        g.Then("Div", [Initializer(g.Graph, "s", [255f])])
            .Then("Conv", [g.Weights("w", [3, 1, 3, 3]), g.Weights("b", [3])], Ints("pads", 1, 1, 1, 1))
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [75, 4])]);

        Model model = Compare.ImportAndCompare(g.Build(4), [1, 5, 5]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void ANormalizationBeforeADepthwiseConvolutionIsKeptAsALayer()
    {
        var g = new GraphBuilder([2, 6, 6]);
        g.Then("Conv", [g.Weights("dw", [2, 1, 3, 3]), g.Weights("dw.b", [2])], Int("group", 2), Ints("pads", 1, 1, 1, 1))
            .Then("Relu")
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc", [72, 3])]);

        Model model = Compare.ImportAndCompare(g.Build(3), [2, 6, 6], new InputNormalization([0.3f, 0.6f], [0.5f, 0.25f]));

        Assert.Equal([LayerKind.DepthwiseConv2d, LayerKind.DepthwiseConv2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void APerChannelNormalizationBeforeAFlattenedImage()
    {
        var g = new GraphBuilder([3, 4, 5]);
        g.Then("Flatten").Then("Gemm", [g.Weights("fc", [6, 60]), g.Weights("b", [6])], Int("transB", 1));

        Compare.ImportAndCompare(g.Build(6), [3, 4, 5], new InputNormalization([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]));
    }

    [Fact]
    public void ANormalizedFactorizedLayerStaysFactorized()
    {
        // The shift goes through both factors into the second's bias; the first keeps no bias, so the pair stays one layer.
        var g = new GraphBuilder([2, 6, 6]);
        g.Then("Conv", [g.Weights("a.w", [3, 2, 3, 3])])
            .Then("Conv", [g.Weights("b.w", [4, 3, 1, 1])])
            .Then("Relu")
            .Then("Flatten")
            .Then("MatMul", [g.Weights("u", [64, 5])])
            .Then("MatMul", [g.Weights("v", [5, 7])]);

        Model model = Compare.ImportAndCompare(g.Build(7), [2, 6, 6], new InputNormalization([0.3f, -0.2f], [0.5f, 2f]));

        Assert.Equal([LayerKind.FactorizedConv2d, LayerKind.Flatten, LayerKind.FactorizedDense], model.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void AGoldenFactorizedModelImportedWithANormalizationKeepsItsLayersAndMethods()
    {
        using Model golden = EdgeLowRank.Runtime.Format.ModelReader.Load(EdgeLowRank.Runtime.Tests.Format.Fixtures.Model("lenet300-factorized"));
        byte[] onnx = OnnxExporter.Export(golden);

        Model model = Compare.ImportAndCompare(onnx, [784], new InputNormalization([0.1307f], [0.3081f]));

        Assert.Equal(golden.Layers.Where(l => l is not ReluLayer).Select(l => (l.Kind, l.Method, l.Rank)), model.Layers.Select(l => (l.Kind, l.Method, l.Rank)));
    }

    [Fact]
    public void PyTorchsMnistExampleShapedNetworkWithItsNormalizationAndFinalLogSoftmax()
    {
        // pytorch/examples' MNIST network, smaller: conv, relu, conv, relu, max_pool2d, dropout, flatten, fc, relu, dropout,
        // fc, log_softmax, trained on transforms.Normalize((0.1307,), (0.3081,)).
        var g = new GraphBuilder([1, 10, 10], opset: 11);
        g.Then("Conv", [g.Weights("conv1.weight", [4, 1, 3, 3]), g.Weights("conv1.bias", [4])], Ints("kernel_shape", 3, 3), Ints("strides", 1, 1))
            .Then("Relu")
            .Then("Conv", [g.Weights("conv2.weight", [8, 4, 3, 3]), g.Weights("conv2.bias", [8])], Ints("kernel_shape", 3, 3))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Dropout", Float("ratio", 0.25f))
            .Then("Flatten", Int("axis", 1))
            .Then("Gemm", [g.Weights("fc1.weight", [16, 72]), g.Weights("fc1.bias", [16])], Float("alpha", 1), Float("beta", 1), Int("transB", 1))
            .Then("Relu")
            .Then("Dropout", Float("ratio", 0.5f))
            .Then("Gemm", [g.Weights("fc2.weight", [10, 16]), g.Weights("fc2.bias", [10])], Int("transB", 1))
            .Then("LogSoftmax", Int("axis", 1));

        // The runtime's Softmax gives exp of the graph's log-probabilities.
        Model model = Compare.ImportAndCompare(g.Build(10), [1, 10, 10], new InputNormalization([0.1307f], [0.3081f]), ort => ort.Select(MathF.Exp).ToArray());

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense, LayerKind.Dense, LayerKind.Softmax],
            model.Layers.Select(l => l.Kind));
        Assert.Contains("read as a Softmax", model.Metadata.Properties[OnnxImporter.FinalLogSoftmaxProperty]);
    }

    [Fact]
    public void LeCunsLeNet5AsPyTorchExportsIt()
    {
        // LeCun et al. 1998 on 28×28 digits, as torch.onnx.export writes nn.Conv2d(1, 6, 5, padding=2), nn.Tanh,
        // nn.AvgPool2d(2) (with its explicit zero pads and count_include_pad), ..., nn.Linear (transposed weights).
        var g = new GraphBuilder([1, 28, 28], opset: 17);
        AttributeProto[] Pooling() => [Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Ints("pads", 0, 0, 0, 0), Int("ceil_mode", 0), Int("count_include_pad", 1)];
        g.Then("Conv", [g.Weights("c1.weight", [6, 1, 5, 5]), g.Weights("c1.bias", [6])],
                Ints("dilations", 1, 1), Int("group", 1), Ints("kernel_shape", 5, 5), Ints("pads", 2, 2, 2, 2), Ints("strides", 1, 1))
            .Then("Tanh")
            .Then("AveragePool", Pooling())
            .Then("Conv", [g.Weights("c3.weight", [16, 6, 5, 5]), g.Weights("c3.bias", [16])],
                Ints("dilations", 1, 1), Int("group", 1), Ints("kernel_shape", 5, 5), Ints("pads", 0, 0, 0, 0), Ints("strides", 1, 1))
            .Then("Tanh")
            .Then("AveragePool", Pooling())
            .Then("Flatten", Int("axis", 1))
            .Then("Gemm", [g.Weights("f5.weight", [120, 400]), g.Weights("f5.bias", [120])], Float("alpha", 1), Float("beta", 1), Int("transB", 1))
            .Then("Tanh")
            .Then("Gemm", [g.Weights("f6.weight", [84, 120]), g.Weights("f6.bias", [84])], Float("alpha", 1), Float("beta", 1), Int("transB", 1))
            .Then("Sigmoid")
            .Then("Gemm", [g.Weights("output.weight", [10, 84]), g.Weights("output.bias", [10])], Float("alpha", 1), Float("beta", 1), Int("transB", 1));

        Model model = Compare.ImportAndCompare(g.Build(10), [1, 28, 28]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Tanh, LayerKind.AvgPool2d, LayerKind.Conv2d, LayerKind.Tanh, LayerKind.AvgPool2d, LayerKind.Flatten,
            LayerKind.Dense, LayerKind.Tanh, LayerKind.Dense, LayerKind.Sigmoid, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.All(model.Layers.OfType<AvgPool2dLayer>(), p => Assert.Equal(new ConvolutionGeometry(2, 2), p.Geometry));
    }

    [Theory]
    [InlineData(null)]    // ONNX's default, 0.01 (PyTorch's nn.LeakyReLU's too)
    [InlineData(0.2f)]
    [InlineData(-0.5f)]   // ONNX takes any slope
    public void ALeakyReluOfAnySlopeAfterAConvAndAGemm(float? alpha)
    {
        AttributeProto[] slope = alpha is { } a ? [Float("alpha", a)] : [];
        var g = new GraphBuilder([3, 6, 6]);
        g.Then("Conv", [g.Weights("c.w", [4, 3, 3, 3]), g.Weights("c.b", [4])], Ints("pads", 1, 1, 1, 1))
            .Then("LeakyRelu", slope)
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc1.w", [8, 144]), g.Weights("fc1.b", [8])], Int("transB", 1))
            .Then("LeakyRelu", slope)
            .Then("Gemm", [g.Weights("fc2.w", [5, 8]), g.Weights("fc2.b", [5])], Int("transB", 1));

        Model model = Compare.ImportAndCompare(g.Build(5), [3, 6, 6]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.LeakyRelu, LayerKind.Flatten, LayerKind.Dense, LayerKind.LeakyRelu, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.All(model.Layers.OfType<LeakyReluLayer>(), l => Assert.Equal(alpha ?? 0.01f, l.Alpha));
    }

    [Fact]
    public void ACnnEndingInAGlobalAveragePoolAndAGemm()
    {
        var g = new GraphBuilder([3, 7, 7]);
        g.Then("Conv", [g.Weights("c.w", [4, 3, 3, 3]), g.Weights("c.b", [4])], Ints("pads", 1, 1, 1, 1))
            .Then("Relu")
            .Then("AveragePool", Ints("kernel_shape", 3, 3), Ints("strides", 2, 2))   // overlapping windows: 7×7 → 3×3
            .Then("GlobalAveragePool")
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc.w", [5, 4]), g.Weights("fc.b", [5])], Int("transB", 1));

        Model model = Compare.ImportAndCompare(g.Build(5), [3, 7, 7]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.AvgPool2d, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        Assert.Equal([new ConvolutionGeometry(3, 2), new ConvolutionGeometry(3, 3)], model.Layers.OfType<AvgPool2dLayer>().Select(p => p.Geometry));
    }

    [Fact]
    public void AnAllConvolutionalEndingGlobalAveragePoolFlattenSoftmax()
    {
        // SqueezeNet's and Network in Network's ending: a 1×1 convolution to the classes, averaged over the image. Its
        // flatten is of 1×1 images, where channels-first and channels-last orders coincide, so no matrix layer must follow.
        var g = new GraphBuilder([2, 5, 5]);
        g.Then("Conv", [g.Weights("c1.w", [4, 2, 3, 3]), g.Weights("c1.b", [4])])
            .Then("Relu")
            .Then("Conv", [g.Weights("c2.w", [3, 4, 1, 1]), g.Weights("c2.b", [3])])
            .Then("GlobalAveragePool")
            .Then("Flatten")
            .Then("Softmax", Int("axis", 1));

        Model model = Compare.ImportAndCompare(g.Build(3), [2, 5, 5]);

        Assert.Equal([LayerKind.Conv2d, LayerKind.Conv2d, LayerKind.AvgPool2d, LayerKind.Flatten, LayerKind.Softmax], model.Layers.Select(l => l.Kind));
    }

    [Theory]
    [InlineData(3, 2)]     // fewer channels than Vector<float> has lanes: the session's block-diagonal dense convolution
    [InlineData(4, 7)]     // the same with AVX2; the depthwise kernel's 4-lane vectors on arm64
    [InlineData(8, 12)]    // the depthwise kernel: whole vectors, and 12 with an overlapping tail where a vector holds 8
    [InlineData(16, 19)]
    public void AMobileNetV1StyleNetworkAsPyTorchExportsIt(int first, int second)
    {
        // nn.Conv2d(..., bias=False), nn.BatchNorm2d and nn.ReLU in MobileNet v1's order, with the batch normalizations
        // as nodes (the form before an exporter folds them): a full 3×3 convolution, then depthwise 3×3 (groups = channels)
        // and pointwise 1×1 pairs, a GlobalAveragePool, torch.flatten and nn.Linear.
        var g = new GraphBuilder([3, 12, 12], opset: 17);
        void ConvBnRelu(string name, long[] kernel, long group, long stride, long pad)
        {
            long channels = kernel[0], k = kernel[2];
            g.Then("Conv", [g.Weights(name + ".weight", kernel)],
                    Ints("dilations", 1, 1), Int("group", group), Ints("kernel_shape", k, k), Ints("pads", pad, pad, pad, pad), Ints("strides", stride, stride))
                // γ and β positive: with random signs whole channels stay below 0 and their ReLU hides what feeds them.
                .Then("BatchNormalization", [g.Weights(name + ".bn.weight", [channels], positive: true), g.Weights(name + ".bn.bias", [channels], positive: true),
                    g.Weights(name + ".bn.running_mean", [channels]), g.Weights(name + ".bn.running_var", [channels], positive: true)],
                    Float("epsilon", 1e-5f), Float("momentum", 0.9f))
                .Then("Relu");
        }
        ConvBnRelu("conv1", [first, 3, 3, 3], group: 1, stride: 2, pad: 1);          // 6×6
        ConvBnRelu("dw1", [first, 1, 3, 3], group: first, stride: 1, pad: 1);
        ConvBnRelu("pw1", [second, first, 1, 1], group: 1, stride: 1, pad: 0);
        ConvBnRelu("dw2", [second, 1, 3, 3], group: second, stride: 2, pad: 1);       // 3×3
        ConvBnRelu("pw2", [first, second, 1, 1], group: 1, stride: 1, pad: 0);
        g.Then("GlobalAveragePool")
            .Then("Flatten", Int("axis", 1))
            .Then("Gemm", [g.Weights("fc.weight", [5, first]), g.Weights("fc.bias", [5])], Float("alpha", 1), Float("beta", 1), Int("transB", 1));
        byte[] onnx = g.Build(5);

        foreach (int batch in new[] { 1, 4 })
        {
            Model model = Compare.ImportAndCompare(onnx, [3, 12, 12], batch: batch);

            Assert.Equal([LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.AvgPool2d,
                LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
            Assert.Equal([(first, new ConvolutionGeometry(3, 1, 1)), (second, new ConvolutionGeometry(3, 2, 1))],
                model.Layers.OfType<DepthwiseConv2dLayer>().Select(d => (d.Channels, d.Geometry)));
            Assert.All(model.Layers.Take(5), l => Assert.Equal(Activation.Relu, l.Activation));
        }
    }

    [Fact]
    public void DepthwiseConvolutionsWithAndWithoutBias()
    {
        var g = new GraphBuilder([6, 7, 7]);
        g.Then("Conv", [g.Weights("a.w", [6, 1, 3, 3]), g.Weights("a.b", [6])], Int("group", 6), String("auto_pad", "SAME_UPPER"))
            .Then("Relu")
            .Then("Conv", [g.Weights("b.w", [6, 1, 3, 3])], Int("group", 6), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1))   // 4×4
            .Then("Add", [g.Weights("b.b", [1, 6, 1, 1])])                                                                     // Keras' bias
            .Then("Conv", [g.Weights("c.w", [6, 1, 3, 3])], Int("group", 6), Ints("pads", 1, 1, 1, 1))
            .Then("Conv", [g.Weights("d.w", [3, 6, 1, 1])])   // a linear map right after a plain one, but no factorized pair
            .Then("Flatten")
            .Then("Gemm", [g.Weights("fc.w", [4, 48]), g.Weights("fc.b", [4])], Int("transB", 1));

        Model model = Compare.ImportAndCompare(g.Build(4), [6, 7, 7]);

        Assert.Equal([LayerKind.DepthwiseConv2d, LayerKind.DepthwiseConv2d, LayerKind.DepthwiseConv2d, LayerKind.Conv2d, LayerKind.Flatten, LayerKind.Dense],
            model.Layers.Select(l => l.Kind));
        Assert.Equal([6, 6, 0], model.Layers.OfType<DepthwiseConv2dLayer>().Select(d => d.Bias.Length));
        Assert.Equal(1, ((DepthwiseConv2dLayer)model.Layers[0]).Geometry.Pads.Top);
    }

    [Theory]
    [InlineData(11, -1L)]   // x.view(x.size(0), -1), Unsqueeze's axes an attribute
    [InlineData(13, -1L)]   // the axes a Constant input
    [InlineData(17, -1L)]
    [InlineData(17, 400L)]  // x.reshape(x.shape[0], 400)
    public void ASmallCnnFlattenedWithTheBatchFromXSize0(int opset, long rest)
    {
        var g = new GraphBuilder([1, 14, 14], opset);
        g.Then("Conv", [g.Weights("conv.weight", [16, 1, 5, 5]), g.Weights("conv.bias", [16])],
                Ints("dilations", 1, 1), Int("group", 1), Ints("kernel_shape", 5, 5), Ints("pads", 0, 0, 0, 0), Ints("strides", 1, 1))
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))   // 16 × 5 × 5 = 400
            .Then("Reshape", [g.TorchViewShape([rest])], opset >= 14 ? [Int("allowzero", 0)] : [])
            .Then("Gemm", [g.Weights("fc.weight", [10, 400]), g.Weights("fc.bias", [10])], Float("alpha", 1), Float("beta", 1), Int("transB", 1));
        byte[] onnx = g.Build(10);

        foreach (int batch in new[] { 1, 7 })
        {
            Model model = Compare.ImportAndCompare(onnx, [1, 14, 14], batch: batch);

            Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        }
    }

    [Theory]
    [InlineData(-1L)]   // x.view(x.size(0), -1) exported without dynamic_axes: the shape folded for the example's batch of 1
    [InlineData(400L)]  // x.view(1, 400) written out
    public void ACnnExportedForOneBatchSizeFlattensWithThatBatch(long rest)
    {
        var g = new GraphBuilder([1, 14, 14], opset: 17, fixedBatch: 1);
        g.Then("Conv", [g.Weights("conv.weight", [16, 1, 5, 5]), g.Weights("conv.bias", [16])])
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2))
            .Then("Reshape", [Int64Initializer(g.Graph, "shape", [1, rest], 2)], Int("allowzero", 0))
            .Then("Gemm", [g.Weights("fc.weight", [10, 400]), g.Weights("fc.bias", [10])], Float("alpha", 1), Float("beta", 1), Int("transB", 1));

        byte[] onnx = g.Build(10);

        Model model = Compare.ImportAndCompare(onnx, [1, 14, 14], batch: 1);

        Assert.Equal([LayerKind.Conv2d, LayerKind.MaxPool2d, LayerKind.Flatten, LayerKind.Dense], model.Layers.Select(l => l.Kind));
        // ONNX Runtime takes this graph only at its batch of 1; the runtime's model takes three samples at once and gives
        // each what ONNX Runtime gives it alone (one channel: the same bytes in either layout).
        const int Samples = 3, Pixels = 14 * 14;
        float[] input = Compare.Random(Samples * Pixels, seed: 5);
        float[] expected = Enumerable.Range(0, Samples)
            .SelectMany(b => OrtRunner.Run(onnx, input.AsSpan(b * Pixels, Pixels).ToArray(), [1, 1, 14, 14])).ToArray();
        Compare.Close(expected, Compare.RunRuntime(model, input, Samples));
    }

    public static TheoryData<string> OtherBatchShapes => ["initializers and a Cast", "Shape with start and end", "an unsqueezed Constant -1", "x.view(-1, x.size(1))"];

    [Theory, MemberData(nameof(OtherBatchShapes))]
    public void OtherFormsOfTheBatchFromTheShape(string form)
    {
        var g = new GraphBuilder([3, 10, 10], opset: form == "an unsqueezed Constant -1" ? 11 : 17);
        g.Then("Conv", [g.Weights("c.w", [4, 3, 3, 3]), g.Weights("c.b", [4])])
            .Then("Relu")
            .Then("MaxPool", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));   // 4 × 4 × 4
        if (form == "x.view(-1, x.size(1))") g.Then("GlobalAveragePool");        // 4 × 1 × 1: (−1, 4) flattens it
        int n = form == "x.view(-1, x.size(1))" ? 4 : 64;
        string Shape() => Node(g.Graph, "Shape", "shape", [g.Current]);
        string size0, target;
        switch (form)
        {
            case "initializers and a Cast":   // the constants as initializers, and a Cast to int64 (7) in the chain
                string gathered = Node(g.Graph, "Gather", "gather", [Shape(), Int64Initializer(g.Graph, "zero", [0])]);
                size0 = Node(g.Graph, "Unsqueeze", "size0", [Node(g.Graph, "Cast", "cast", [gathered], Int("to", 7)), Int64Initializer(g.Graph, "axes", [0], 1)]);
                target = Node(g.Graph, "Concat", "target", [size0, Int64Initializer(g.Graph, "rest", [-1], 1)], Int("axis", 0));
                break;
            case "Shape with start and end":   // opset 15's Shape(x, start=0, end=1) is (batch) itself
                size0 = Node(g.Graph, "Shape", "size0", [g.Current], Int("start", 0), Int("end", 1));
                target = Node(g.Graph, "Concat", "target", [size0, Int64Initializer(g.Graph, "rest", [n], 1)], Int("axis", 0));
                break;
            case "an unsqueezed Constant -1":   // without constant folding torch unsqueezes the scalar −1 as it does the batch
                size0 = Node(g.Graph, "Unsqueeze", "size0", [Node(g.Graph, "Gather", "gather", [Shape(), g.Int64Constant("zero", [0])], Int("axis", 0))], Ints("axes", 0));
                string rest = Node(g.Graph, "Unsqueeze", "rest", [g.Int64Constant("minus one", [-1])], Ints("axes", 0));
                target = Node(g.Graph, "Concat", "target", [size0, rest], Int("axis", 0));
                break;
            default:   // the channels from the shape, the batch inferred: the Concat's inputs the other way round
                string channels = Node(g.Graph, "Unsqueeze", "channels", [Node(g.Graph, "Gather", "gather", [Shape(), g.Int64Constant("one", [1])]), g.Int64Constant("axes", [0], 1)]);
                target = Node(g.Graph, "Concat", "target", [Int64Initializer(g.Graph, "rest", [-1], 1), channels], Int("axis", 0));
                break;
        }
        g.Then("Reshape", [target]).Then("Gemm", [g.Weights("fc.w", [5, n]), g.Weights("fc.b", [5])], Int("transB", 1));
        byte[] onnx = g.Build(5);

        foreach (int batch in new[] { 1, 6 })
        {
            Model model = Compare.ImportAndCompare(onnx, [3, 10, 10], batch: batch);

            Assert.Equal(LayerKind.Flatten, model.Layers[^2].Kind);
        }
    }
}
