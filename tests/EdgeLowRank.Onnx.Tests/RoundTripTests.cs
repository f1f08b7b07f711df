using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Every golden model written to ONNX: ONNX Runtime computes what the runtime computes on the file, and the
/// import gives back the same model, weight for weight.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Names => new(Fixtures.Names);

    /// <summary>The golden files but the integer-product ones, whose quantized inputs ONNX Runtime computes only one sample at a
    /// time (<see cref="DynamicInputTests"/>).</summary>
    public static TheoryData<string> FloatArithmetic => new(Fixtures.Names.Except(Fixtures.New1_10).Except(Fixtures.New1_11));

    [Theory, MemberData(nameof(FloatArithmetic))]
    public void OnnxRuntimeComputesWhatTheRuntimeComputes(string name) => BothEngines(name, Int8Export.Dequantize, 1e-5);

    public static TheoryData<string, Int8Export, double> Int8Forms => new()
    {
        { "lenet300-factorized-int8", Int8Export.Float, 1e-5 },
        { "lenet5-factorized-int8", Int8Export.Float, 1e-5 },
        // ONNX Runtime's integer kernels quantize the activations too: verify measures 1.6e-2 and 1.7e-2 on these models.
        { "lenet300-factorized-int8", Int8Export.Dynamic, 5e-2 },
        { "lenet5-factorized-int8", Int8Export.Dynamic, 5e-2 },
    };

    [Theory, MemberData(nameof(Int8Forms))]
    public void TheOtherInt8FormsRunInOnnxRuntime(string name, Int8Export form, double tolerance) => BothEngines(name, form, tolerance);

    /// <summary>Models built here for the kinds and windows the golden files lack (each described where it is built).</summary>
    private static readonly Dictionary<string, Func<Model>> Built = new()
    {
        ["windowed-classic"] = WindowedClassic,
        ["mobilenet-blocks"] = MobileNetBlocks,
        ["residual-blocks"] = ResidualBlocks,
        ["projection-blocks"] = ProjectionBlocks,
        ["inverted-residual"] = InvertedResidual,
        ["padded-stem"] = PaddedStem,
        ["unevenly-padded"] = UnevenlyPadded,
        ["fire-modules"] = ConcatModels.FireModules,
        ["three-way-concat"] = ConcatModels.ThreeWayConcat,
        ["concat-of-the-input"] = ConcatModels.ConcatOfTheInput,
        ["vector-concats"] = ConcatModels.VectorConcats,
        ["shuffled-slices"] = ShuffleModels.ShuffledSlices,
        ["squeeze-excitation-blocks"] = SqueezeExcitationModels.Blocks,
        ["gated-branch-and-vector"] = SqueezeExcitationModels.GatedBranchAndVector,
    };

    public static TheoryData<string> BuiltNames => new(Built.Keys);

    [Theory, MemberData(nameof(BuiltNames))]
    public void BuiltModelsRunInOnnxRuntime(string name)
    {
        using Model model = Built[name]();

        BothEngines(model, ClassicInput(model), Int8Export.Dequantize, 1e-5);
    }

    [Theory, MemberData(nameof(BuiltNames))]
    public void ImportGivesBuiltModelsBack(string name)
    {
        using Model original = Built[name]();

        ImportGivesBack(original, ClassicInput(original));
    }

    [Theory]
    [InlineData("residual-blocks")]     // no Relu layer here fuses
    [InlineData("inverted-residual")]   // a Relu6 fuses into nothing
    [InlineData("padded-stem")]
    [InlineData("fire-modules")]        // a Concat in each order
    [InlineData("three-way-concat")]
    [InlineData("concat-of-the-input")]
    [InlineData("vector-concats")]
    [InlineData("shuffled-slices")]
    [InlineData("squeeze-excitation-blocks")]   // a vector gate Unsqueezed for an image, SiLU as Sigmoid and Mul
    [InlineData("gated-branch-and-vector")]     // a Branch ended by a ChannelScale; SiLU then Sigmoid
    public void ImportGivesTheSameLayersBack(string name)
    {
        using Model original = Built[name]();

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        Assert.Equal(original.Layers.Select(Signature), imported.Layers.Select(Signature));
    }

    private static void BothEngines(string name, Int8Export form, double tolerance)
    {
        using Model model = ModelReader.Load(Fixtures.Model(name));
        BothEngines(model, Fixtures.Floats(name + ".input.f32"), form, tolerance);
    }

    /// <summary><paramref name="input"/> through the runtime and, exported as <paramref name="form"/> says, through
    /// ONNX Runtime: the outputs within <paramref name="tolerance"/> of the largest.</summary>
    private static void BothEngines(Model model, float[] input, Int8Export form, double tolerance)
    {
        int batch = input.Length / model.InputShape.ElementCount;
        var onnxInput = new float[input.Length];
        ChannelsFirst.ToOnnxLayout(input, model.InputShape, onnxInput);

        float[] ort = OrtRunner.Run(OnnxExporter.Export(model, form), onnxInput, [batch, .. ChannelsFirst.OnnxShape(model.InputShape).Select(d => (long)d)]);

        Compare.Close(Compare.RunRuntime(model, input, batch), ort, tolerance);
    }

    [Theory, MemberData(nameof(Names))]
    public void ImportGivesTheExportedModelBack(string name)
    {
        using Model original = ModelReader.Load(Fixtures.Model(name));

        ImportGivesBack(original, Fixtures.Floats(name + ".input.f32"));
    }



    /// <summary>The model exported and imported: the same input shape, metadata, layers (a Relu layer after a matrix or
    /// depthwise layer fused), pooling and depthwise windows, weights and filters bit for bit, and outputs for
    /// <paramref name="input"/> bit for bit.</summary>
    private static void ImportGivesBack(Model original, float[] input)
    {
        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        Assert.Equal(original.InputShape, imported.InputShape);
        Assert.Equal(original.Metadata, imported.Metadata);
        Assert.Equal(FusedSignatures(original.Layers), imported.Layers.Select(Signature));
        Assert.Equal(original.Layers.OfType<PoolLayer>().Select(p => p.Geometry), imported.Layers.OfType<PoolLayer>().Select(p => p.Geometry));
        foreach (var (before, after) in original.Layers.Where(l => l is not ReluLayer).Zip(imported.Layers.Where(l => l is not ReluLayer)))
        {
            if (HasBias(before)) Assert.Equal(LayerEdits.Bias(before).ToArray(), LayerEdits.Bias(after).ToArray());
            if (before is DepthwiseConv2dLayer d)
            {
                var back = Assert.IsType<DepthwiseConv2dLayer>(after);
                Assert.Equal((d.Channels, d.Geometry), (back.Channels, back.Geometry));
                Assert.Equal(d.Filters.ToArray(), back.Filters.ToArray());
            }
            foreach (var (a, b) in before.WeightMatrices.Zip(after.WeightMatrices, (a, b) => (a, b)))
            {
                Assert.Equal((a.ElementType, a.Rows, a.Columns), (b.ElementType, b.Rows, b.Columns));
                Assert.Equal(a.ToRowMajor(), b.ToRowMajor());
                if (a.ElementType == ElementType.Int8)
                {
                    Assert.Equal(a.QuantizedToRowMajor(), b.QuantizedToRowMajor());
                    Assert.Equal(a.Scales.ToArray(), b.Scales.ToArray());
                }
            }
        }
        int batch = input.Length / original.InputShape.ElementCount;
        Assert.Equal(Compare.RunRuntime(original, input, batch), Compare.RunRuntime(imported, input, batch));
    }


    [Fact]
    public void AVectorScaledByAnImageGateComesBackWithAFlattenOfTheGate()
    {
        using Model original = SqueezeExcitationModels.VectorByImageGate();
        float[] input = ClassicInput(original);

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        LayerKind[] kinds = original.Layers.Select(l => l.Kind).ToArray();
        Assert.Equal([.. kinds[..7], LayerKind.Flatten, .. kinds[7..]], imported.Layers.Select(l => l.Kind));
        Assert.Equal(4, imported.Layers.OfType<ChannelScaleLayer>().Single().Source);
        Assert.Equal(Compare.RunRuntime(original, input, 3), Compare.RunRuntime(imported, input, 3));
        BothEngines(original, input, Int8Export.Dequantize, 1e-5);
    }

    [Fact]
    public void ABranchStraightIntoAConcatComesBackAsOneConcatOfTheOtherOrder()
    {
        // Branch ← 1, Concat ← 2 stacks [activation 2, activation 1] with an empty path; the export writes no node for the
        // Branch, so the graph holds only Concat(activation 2, activation 1), whose import is Concat → 1: the same outputs.
        using Model original = ConcatModels.BranchIntoConcat();

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        ConcatLayer concat = imported.Layers.OfType<ConcatLayer>().Single();
        Assert.Equal((1, true), (concat.Source, concat.InputFirst));
        Assert.Equal(original.Layers.Count - 1, imported.Layers.Count);
        float[] input = ClassicInput(original);
        Assert.Equal(Compare.RunRuntime(original, input, 3), Compare.RunRuntime(imported, input, 3));
        BothEngines(original, input, Int8Export.Dequantize, 1e-5);
    }

    [Fact]
    public void ImportGivesBranchesBackWithTheReluAfterAnAddFused()
    {
        using Model original = ProjectionBlocks();

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));
        Assert.Equal(original.Layers.Count - 1, imported.Layers.Count);   // the Relu layer after Add ← 10 fused into it
    }

    [Fact]
    public void ALinearLayerBeforeFactorizedOnesComesBackAsItWas()
    {
        // Exported, these are three MatMuls in a row: only the recorded pairs may become factorized layers again.
        float[] Values(int count, int seed) => Compare.Random(count, seed);
        var layers = new Layer[]
        {
            new DenseLayer(PackedMatrix.FromRowMajor(Values(12 * 9, 1), 12, 9), ReadOnlyMemory<float>.Empty),
            new FactorizedDenseLayer(PackedMatrix.FromRowMajor(Values(9 * 4, 2), 9, 4), PackedMatrix.FromRowMajor(Values(4 * 8, 3), 4, 8),
                ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Cur),
            new FactorizedDenseLayer(PackedMatrix.FromRowMajor(Values(8 * 3, 4), 8, 3), PackedMatrix.FromRowMajor(Values(3 * 6, 5), 3, 6),
                Values(6, 6), Activation.Relu, FactorizationMethod.Svd),
        };
        using var original = new Model(new TensorShape(12), layers, new ModelMetadata { Producer = "tests" });

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original));

        Assert.Equal(original.Layers.Select(Signature), imported.Layers.Select(Signature));
    }

    [Fact]
    public void AnInt8ModelExportedAsFloatValuesImportsAsF32WithThoseValues()
    {
        using Model original = ModelReader.Load(Fixtures.Model("lenet300-factorized-int8"));

        using Model imported = OnnxImporter.Import(OnnxExporter.Export(original, Int8Export.Float));

        foreach (var (a, b) in original.Layers.SelectMany(l => l.WeightMatrices).Zip(imported.Layers.SelectMany(l => l.WeightMatrices)))
        {
            Assert.Equal(ElementType.Float32, b.ElementType);
            Assert.Equal(a.ToRowMajor(), b.ToRowMajor());
        }
    }

    /// <summary>The format 1.4 kinds as LeCun's LeNet-5 arranges them, with the overlapping and whole-image windows the golden
    /// lenet5-1998 lacks: 10×10×2 → Conv2d 3×3
    /// pad 1 to 9 channels → Tanh → AvgPool 3 stride 2 (overlapping windows, so a stride written as the kernel shows) →
    /// Conv2d 3×3 to 5 channels → Sigmoid → AvgPool 2/2 (the whole 2×2 image) → Flatten → Dense 4 → Tanh → Softmax.
    /// Shapes 10×10×9, 4×4×9, 2×2×5, 1×1×5, 5, 4. Weights of about 1/√fan-in keep tanh and sigmoid off their flat
    /// tails, where a wrong function or window would hardly change the outputs.</summary>
    private static Model WindowedClassic()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        return new Model(new TensorShape(10, 10, 2),
            [
                new Conv2dLayer(Matrix(18, 9, 1), Compare.Random(9, 2), 2, new ConvolutionGeometry(3, 1, 1)),
                new TanhLayer(),
                new AvgPool2dLayer(3, 2),
                new Conv2dLayer(Matrix(81, 5, 3), Compare.Random(5, 4), 9, new ConvolutionGeometry(3)),
                new SigmoidLayer(),
                new AvgPool2dLayer(2, 2),
                new FlattenLayer(),
                new DenseLayer(Matrix(5, 4, 5), Compare.Random(4, 6)),
                new TanhLayer(),
                new SoftmaxLayer(),
            ],
            new ModelMetadata { Producer = "tests", Labels = ["p", "q", "r", "s"] });
    }

    /// <summary>MobileNet's depthwise and pointwise blocks: 10×10×1 → DepthwiseConv2d 3×3 pad 1 over the one channel (written
    /// with group 1), with bias and ReLU → Conv2d 3×3 pad 1 to 6 channels → DepthwiseConv2d 3×3 stride 2 pad 1 over 6 (with
    /// AVX2 both run as dense convolutions, below Vector&lt;float&gt;.Count channels), with bias and ReLU → Conv2d 1×1 to 12, ReLU → DepthwiseConv2d 3×3 pad 1
    /// over 12 (a vector and an overlapping tail), no bias, then a Relu layer → AvgPool2d over the 5×5 image → Flatten →
    /// Dense 4 → Softmax.</summary>
    private static Model MobileNetBlocks()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        float[] Filters(int channels, int seed) => Compare.Random(9 * channels, seed).Select(v => v * 2 / 3).ToArray();
        return new Model(new TensorShape(10, 10, 1),
            [
                new DepthwiseConv2dLayer(Filters(1, 1), Compare.Random(1, 2), 1, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
                new Conv2dLayer(Matrix(9, 6, 3), Compare.Random(6, 4), 1, new ConvolutionGeometry(3, 1, 1)),
                new DepthwiseConv2dLayer(Filters(6, 5), Compare.Random(6, 6), 6, new ConvolutionGeometry(3, 2, 1), Activation.Relu),
                new Conv2dLayer(Matrix(6, 12, 7), ReadOnlyMemory<float>.Empty, 6, new ConvolutionGeometry(1), Activation.Relu),
                new DepthwiseConv2dLayer(Filters(12, 8), ReadOnlyMemory<float>.Empty, 12, new ConvolutionGeometry(3, 1, 1)),
                new ReluLayer(),
                new AvgPool2dLayer(5, 5),
                new FlattenLayer(),
                new DenseLayer(Matrix(12, 4, 9), Compare.Random(4, 10)),
                new SoftmaxLayer(),
            ],
            new ModelMetadata { Producer = "tests", Labels = ["p", "q", "r", "s"] });
    }

    /// <summary>Residual blocks over the runtime's kinds: 6×6×4 → Conv2d 3×3 pad 1, ReLU → Conv2d 3×3 pad 1 → Add of
    /// activation 1 (the first Conv's output), ReLU → DepthwiseConv2d 3×3 pad 1 → a Relu layer → FactorizedConv2d rank 2
    /// → Add of activation 4 (the depthwise output before its Relu, so that Relu stays a layer) → Add of activation 0 (the
    /// input; an Add right after an Add), ReLU → MaxPool2d 2/2 → Flatten of the 3×3×4 image → Dense 36, ReLU → Add of
    /// activation 10 (the flattened vector: the export flattens it in the runtime's order, not ONNX's) → Dense 5 → Softmax.</summary>
    private static Model ResidualBlocks()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        var same = new ConvolutionGeometry(3, 1, 1);
        return new Model(new TensorShape(6, 6, 4),
            [
                new Conv2dLayer(Matrix(36, 4, 1), Compare.Random(4, 2), 4, same, Activation.Relu),
                new Conv2dLayer(Matrix(36, 4, 3), Compare.Random(4, 4), 4, same),
                new AddLayer(1, Activation.Relu),
                new DepthwiseConv2dLayer(Compare.Random(36, 5), Compare.Random(4, 6), 4, same),
                new ReluLayer(),
                new FactorizedConv2dLayer(Matrix(36, 2, 7), Matrix(2, 4, 8), Compare.Random(4, 9), 4, same, Activation.None, FactorizationMethod.Svd),
                new AddLayer(4),
                new AddLayer(0, Activation.Relu),
                new MaxPool2dLayer(2, 2),
                new FlattenLayer(),
                new DenseLayer(Matrix(36, 36, 10), Compare.Random(36, 11), Activation.Relu),
                new AddLayer(10),
                new DenseLayer(Matrix(36, 5, 12), Compare.Random(5, 13)),
                new SoftmaxLayer(),
            ],
            new ModelMetadata { Producer = "tests" });
    }

    /// <summary>Shortcuts with layers of their own, as ResNet's projections: 8×8×3 → Conv2d 3×3 pad 1 to 4, ReLU → Branch ← 0
    /// (the input) → Conv2d 3×3 pad 1 to 4 → Add ← 1, ReLU (a shortcut from the input) → Conv2d 3×3 stride 2 pad 1 to 8, ReLU
    /// → Conv2d 3×3 pad 1 → Branch ← 4 → Conv2d 1×1 stride 2 (the downsample, after the main path) → Add ← 6, ReLU → Conv2d
    /// 1×1 to 6 (a stride-1 projection, before the main path) → Branch ← 9 → Conv2d 3×3 pad 1 to 6, ReLU → Conv2d 3×3 pad 1
    /// → Add ← 10 → a Relu layer → MaxPool2d 2/2 → Flatten of the 2×2×6 image → Dense 24, ReLU → Branch ← 17 (the flattened
    /// vector: the export flattens it in the runtime's order, as the shortcut's Dense takes its rows so) → Dense 24 → Add ← 18
    /// → Dense 5 → Softmax.</summary>
    private static Model ProjectionBlocks()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        Conv2dLayer Conv(int inputs, int outputs, ConvolutionGeometry window, int seed, Activation activation = Activation.None) =>
            new(Matrix(window.KernelSize * window.KernelSize * inputs, outputs, seed), Compare.Random(outputs, seed + 100), inputs, window, activation);
        var same = new ConvolutionGeometry(3, 1, 1);
        return new Model(new TensorShape(8, 8, 3),
            [
                Conv(3, 4, same, 1, Activation.Relu),
                new BranchLayer(0),
                Conv(3, 4, same, 2),
                new AddLayer(1, Activation.Relu),
                Conv(4, 8, new ConvolutionGeometry(3, 2, 1), 3, Activation.Relu),
                Conv(8, 8, same, 4),
                new BranchLayer(4),
                Conv(4, 8, new ConvolutionGeometry(1, 2), 5),
                new AddLayer(6, Activation.Relu),
                Conv(8, 6, new ConvolutionGeometry(1), 6),
                new BranchLayer(9),
                Conv(8, 6, same, 7, Activation.Relu),
                Conv(6, 6, same, 8),
                new AddLayer(10),
                new ReluLayer(),
                new MaxPool2dLayer(2, 2),
                new FlattenLayer(),
                new DenseLayer(Matrix(24, 24, 9), Compare.Random(24, 10), Activation.Relu),
                new BranchLayer(17),
                new DenseLayer(Matrix(24, 24, 11), Compare.Random(24, 12)),
                new AddLayer(18),
                new DenseLayer(Matrix(24, 5, 13), Compare.Random(5, 14)),
                new SoftmaxLayer(),
            ],
            new ModelMetadata { Producer = "tests" });
    }

    /// <summary>ResNet's stem and a padded pooling of an even side: 15×15×3 → Conv2d 7×7 stride 2 pad 3 to 4 (no
    /// activation, so values below 0 meet the padding) → MaxPool2d 3 stride 2 pad 1 → Conv2d 3×3 pad 1 to 4 → MaxPool2d 2
    /// stride 2 pad 1 → Flatten → Dense 5 (no Softmax, which would flatten differences). Shapes 8×8×4, 4×4×4, 4×4×4,
    /// 3×3×4, 36, 5.</summary>
    private static Model PaddedStem()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        return new Model(new TensorShape(15, 15, 3),
            [
                new Conv2dLayer(Matrix(147, 4, 1), Compare.Random(4, 2), 3, new ConvolutionGeometry(7, 2, 3)),
                new MaxPool2dLayer(3, 2, 1),
                new Conv2dLayer(Matrix(36, 4, 3), Compare.Random(4, 4), 4, new ConvolutionGeometry(3, 1, 1)),
                new MaxPool2dLayer(2, 2, 1),
                new FlattenLayer(),
                new DenseLayer(Matrix(36, 5, 5), Compare.Random(5, 6)),
            ],
            new ModelMetadata { Producer = "tests" });
    }

    /// <summary>Windows padded unevenly (format 1.13), each side its own number, so a pads attribute written in another order
    /// than ONNX's (top, left, bottom, right) moves the padding: 14×14×3 → Conv2d 3×3 stride 2 padded (0, 0, 1, 1), TensorFlow's
    /// SAME over an even side, ReLU → MaxPool2d 2/2 padded (0, 0, 1, 1) → DepthwiseConv2d 3×3 padded (1, 0, 1, 2) →
    /// FactorizedConv2d 3×3 stride 2 of rank 2 padded (0, 1, 1, 0) → Flatten of the 2×2×5 image → Dense 4.</summary>
    private static Model UnevenlyPadded()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        return new Model(new TensorShape(14, 14, 3),
            [
                new Conv2dLayer(Matrix(27, 6, 1), Compare.Random(6, 2), 3, new ConvolutionGeometry(3, 2, new WindowPadding(0, 0, 1, 1)), Activation.Relu),
                new MaxPool2dLayer(2, 2, new WindowPadding(0, 0, 1, 1)),
                new DepthwiseConv2dLayer(Compare.Random(9 * 6, 3), Compare.Random(6, 4), 6, new ConvolutionGeometry(3, 1, new WindowPadding(1, 0, 1, 2))),
                new FactorizedConv2dLayer(Matrix(54, 2, 5), Matrix(2, 5, 6), Compare.Random(5, 7), 6, new ConvolutionGeometry(3, 2, new WindowPadding(0, 1, 1, 0)),
                    Activation.None, FactorizationMethod.Svd),
                new FlattenLayer(),
                new DenseLayer(Matrix(20, 4, 8), Compare.Random(4, 9)),
            ],
            new ModelMetadata { Producer = "tests" });
    }

    /// <summary>MobileNet v2's inverted residual with its ReLU6s: 6×6×4 → Conv2d 1×1 to 12 → Relu6 → DepthwiseConv2d 3×3
    /// pad 1 → Relu6 → Conv2d 1×1 to 4 → Add of activation 0 (the input) → Relu6 → Flatten → Dense 5 → Softmax. The weights
    /// are large enough (up to 16/√fan-in, on inputs in [−1, 1)) that many values pass 6, so a clamp at 6 that is missing or
    /// misplaced changes the outputs.</summary>
    private static Model InvertedResidual()
    {
        PackedMatrix Matrix(int rows, int columns, int seed) =>
            PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 16 / MathF.Sqrt(rows)).ToArray(), rows, columns);
        float[] Scaled(int count, int seed, float by) => Compare.Random(count, seed).Select(v => v * by).ToArray();
        return new Model(new TensorShape(6, 6, 4),
            [
                new Conv2dLayer(Matrix(4, 12, 1), Scaled(12, 2, 4), 4, new ConvolutionGeometry(1)),
                new Relu6Layer(),
                new DepthwiseConv2dLayer(Scaled(9 * 12, 3, 2), Scaled(12, 4, 2), 12, new ConvolutionGeometry(3, 1, 1)),
                new Relu6Layer(),
                new Conv2dLayer(Matrix(12, 4, 5), Scaled(4, 6, 1), 12, new ConvolutionGeometry(1)),
                new AddLayer(0),
                new Relu6Layer(),
                new FlattenLayer(),
                new DenseLayer(Matrix(144, 5, 7), Scaled(5, 8, 1)),
                new SoftmaxLayer(),
            ],
            new ModelMetadata { Producer = "tests" });
    }

    /// <summary>Whether the layer has a bias and a fused activation: a matrix or depthwise layer.</summary>
    private static bool HasBias(Layer layer) => layer.WeightMatrices.Count > 0 || layer is DepthwiseConv2dLayer;

    /// <summary>Three random samples for <paramref name="model"/>.</summary>
    private static float[] ClassicInput(Model model) => Compare.Random(3 * model.InputShape.ElementCount, seed: 7);

    /// <summary>What a layer is, with the activation an Add layer adds or a Branch continues from (−1 for other layers).</summary>
    private static (LayerKind, Activation, FactorizationMethod, int, int, int Source, bool InputFirst) Signature(Layer layer) =>
        (layer.Kind, layer.Activation, layer.Method, layer.Rank, layer.WeightMatrices.Count, Source(layer), layer is ConcatLayer { InputFirst: true });

    /// <summary>The activation an Add, a Concat or a ChannelScale layer joins or a Branch continues from; −1 for other layers.</summary>
    private static int Source(Layer layer) => layer switch
    {
        AddLayer a => a.Source,
        ConcatLayer c => c.Source,
        ChannelScaleLayer s => s.Source,
        BranchLayer b => b.Source,
        _ => -1,
    };

    /// <summary>The layers' signatures with a Relu layer right after a matrix, depthwise or Add layer fused into it, as the
    /// import fuses a Relu node (the same computation), unless an Add layer adds or a Branch continues from the activation
    /// before the Relu; Add and Branch layers' sources numbered as the fused layers number them (one activation fewer per
    /// fused Relu before them).</summary>
    private static List<(LayerKind, Activation, FactorizationMethod, int, int, int Source, bool InputFirst)> FusedSignatures(IReadOnlyList<Layer> layers)
    {
        var sources = layers.Select(Source).Where(s => s >= 0).ToHashSet();
        var fused = new List<int>();   // the Relu layers fused: layer i's is activation i, the one before it, that goes
        var result = new List<(LayerKind Kind, Activation Activation, FactorizationMethod, int, int, int Source, bool InputFirst)>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is ReluLayer && i > 0 && (HasBias(layers[i - 1]) || layers[i - 1] is AddLayer) && layers[i - 1].Activation == Activation.None
                && !sources.Contains(i))
            {
                result[^1] = result[^1] with { Activation = Activation.Relu };
                fused.Add(i);
            }
            else
                result.Add(Signature(layers[i]));
        }
        return result.Select(s => s.Source < 0 ? s : s with { Source = s.Source - fused.Count(r => r < s.Source) }).ToList();
    }
}
