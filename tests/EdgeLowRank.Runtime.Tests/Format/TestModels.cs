using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Small models for format tests, with every kind of layer and metadata field format 1.6 stores.</summary>
internal static class TestModels
{
    /// <summary>5 → Dense 3 (ReLU) → Dense 4 → FactorizedDense 6 (rank 2, CUR) → Softmax. Tensors in file
    /// order: 0 W0 5×3, 1 b0, 2 W1 3×4, 3 b1, 4 A 4×2, 5 B 2×6, 6 b2.</summary>
    public static Model Small() => new(new TensorShape(5),
        [
            new DenseLayer(Matrix(5, 3, 1), Vector(3, 2), Activation.Relu),
            new DenseLayer(Matrix(3, 4, 3), Vector(4, 4)),
            new FactorizedDenseLayer(Matrix(4, 2, 5), Matrix(2, 6, 6), Vector(6, 7), Activation.None, FactorizationMethod.Cur),
            new SoftmaxLayer(),
        ],
        FullMetadata(["a", "b", "c", "d", "e", "f"]));

    /// <summary>An image input, Flatten, a factorized layer without bias, a separate ReLU; 20 outputs (two panels).</summary>
    public static Model Image() => new(new TensorShape(3, 2, 3),
        [
            new FlattenLayer(),
            new FactorizedDenseLayer(Matrix(18, 7, 8), Matrix(7, 20, 9), ReadOnlyMemory<float>.Empty, Activation.Relu, FactorizationMethod.Svd),
            new ReluLayer(),
        ],
        new ModelMetadata { Producer = "test" });

    /// <summary>9×8×3 → Conv2d 3×3 pad 1 to 17 channels (ReLU; a panel tail) → MaxPool 2/2 → FactorizedConv2d 3×3
    /// stride 2 pad 1, rank 5 (CUR), to 6 channels → MaxPool 2 stride 1 → Conv2d 1×1 to 4 channels without bias →
    /// Flatten → Softmax. Shapes 9×8×17, 4×4×17, 2×2×6, 1×1×6, 1×1×4, 4. Tensors in file order: 0 W0 27×17,
    /// 1 b0 [17], 2 A 153×5, 3 B 5×6, 4 b2 [6], 5 W4 6×4.</summary>
    public static Model Conv() => new(new TensorShape(9, 8, 3),
        [
            new Conv2dLayer(Matrix(27, 17, 10), Vector(17, 11), 3, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new MaxPool2dLayer(2, 2),
            new FactorizedConv2dLayer(Matrix(153, 5, 12), Matrix(5, 6, 13), Vector(6, 14), 17, new ConvolutionGeometry(3, 2, 1),
                Activation.None, FactorizationMethod.Cur),
            new MaxPool2dLayer(2, 1),
            new Conv2dLayer(Matrix(6, 4, 15), ReadOnlyMemory<float>.Empty, 6, new ConvolutionGeometry(1)),
            new FlattenLayer(),
            new SoftmaxLayer(),
        ],
        FullMetadata(["w", "x", "y", "z"]));

    /// <summary>The format 1.4 kinds, as in LeCun's LeNet-5: 10×10×2 → Conv2d 3×3 pad 1 to 9 channels → Tanh → AvgPool 2/2
    /// → Conv2d 3×3 to 5 channels → Sigmoid → AvgPool 3/3 (global) → Flatten → Dense 4 → Tanh → Softmax. Shapes 10×10×9,
    /// 5×5×9, 3×3×5, 1×1×5, 5, 4. Nine channels make a whole vector and a tail on AVX2 and arm64.</summary>
    public static Model Classic() => new(new TensorShape(10, 10, 2),
        [
            new Conv2dLayer(Matrix(18, 9, 16), Vector(9, 17), 2, new ConvolutionGeometry(3, 1, 1)),
            new TanhLayer(),
            new AvgPool2dLayer(2, 2),
            new Conv2dLayer(Matrix(81, 5, 18), Vector(5, 19), 9, new ConvolutionGeometry(3)),
            new SigmoidLayer(),
            new AvgPool2dLayer(3, 3),
            new FlattenLayer(),
            new DenseLayer(Matrix(5, 4, 20), Vector(4, 21)),
            new TanhLayer(),
            new SoftmaxLayer(),
        ],
        FullMetadata(["p", "q", "r", "s"]));

    /// <summary>The format 1.5 kind: 8×7×5 → DepthwiseConv2d 3×3 pad 1 (bias, ReLU) → Conv2d 1×1 to 9 channels →
    /// DepthwiseConv2d 3×3 stride 2 without bias → Flatten → Softmax. Shapes 8×7×5, 8×7×9, 3×3×9, 81. Tensors in file
    /// order: 0 filters 9×5, 1 bias [5], 2 W 5×9, 3 b [9], 4 filters 9×9. In a session, five channels run as the
    /// block-diagonal dense convolution with AVX2 (the depthwise kernel on arm64), nine through the kernel's overlapping
    /// vectors.</summary>
    public static Model Depthwise() => new(new TensorShape(8, 7, 5),
        [
            new DepthwiseConv2dLayer(Vector(45, 22), Vector(5, 23), 5, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new Conv2dLayer(Matrix(5, 9, 24), Vector(9, 25), 5, new ConvolutionGeometry(1)),
            new DepthwiseConv2dLayer(Vector(81, 26), ReadOnlyMemory<float>.Empty, 9, new ConvolutionGeometry(3, 2)),
            new FlattenLayer(),
            new SoftmaxLayer(),
        ],
        FullMetadata([.. Enumerable.Range(0, 81).Select(i => $"class {i}")]));

    /// <summary>The format 1.6 kind: 3×3×4 → Conv2d 3×3 pad 1 (ReLU) → Add of the input (ReLU fused) → Conv2d 3×3 pad 1 →
    /// Add of activation 2 → Flatten → Dense 36→36 → Add of the flattened image (activation 5) → ReLU6 → Softmax. Tensors in file
    /// order: 0 W 36×4, 1 b [4], 2 W 36×4, 3 b [4], 4 W 36×36, 5 b [36].</summary>
    public static Model Residual() => new(new TensorShape(3, 3, 4),
        [
            new Conv2dLayer(Matrix(36, 4, 31), Vector(4, 32), 4, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new AddLayer(0, Activation.Relu),
            new Conv2dLayer(Matrix(36, 4, 33), Vector(4, 34), 4, new ConvolutionGeometry(3, 1, 1)),
            new AddLayer(2),
            new FlattenLayer(),
            new DenseLayer(Matrix(36, 36, 35), Vector(36, 36)),
            new AddLayer(5),
            new Relu6Layer(),
            new SoftmaxLayer(),
        ],
        FullMetadata([.. Enumerable.Range(0, 36).Select(i => $"class {i}")]));

    /// <summary>The format 1.7 kind: 3×3×4 → Conv2d 3×3 pad 1 (ReLU) → Conv2d 3×3 pad 1 → Branch back to activation 1 →
    /// Conv2d 1×1 (the projection) → Add of activation 2 (ReLU fused) → Branch back to the model's input → Conv2d 1×1 →
    /// Add of activation 5 → Flatten → Softmax. Tensors in file order: 0 W 36×4, 1 b [4], 2 W 36×4, 3 b [4], 4 W 4×4,
    /// 5 b [4], 6 W 4×4, 7 b [4].</summary>
    public static Model Branch() => new(new TensorShape(3, 3, 4),
        [
            new Conv2dLayer(Matrix(36, 4, 41), Vector(4, 42), 4, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new Conv2dLayer(Matrix(36, 4, 43), Vector(4, 44), 4, new ConvolutionGeometry(3, 1, 1)),
            new BranchLayer(1),
            new Conv2dLayer(Matrix(4, 4, 45), Vector(4, 46), 4, new ConvolutionGeometry(1)),
            new AddLayer(2, Activation.Relu),
            new BranchLayer(0),
            new Conv2dLayer(Matrix(4, 4, 47), Vector(4, 48), 4, new ConvolutionGeometry(1)),
            new AddLayer(5),
            new FlattenLayer(),
            new SoftmaxLayer(),
        ],
        FullMetadata([.. Enumerable.Range(0, 36).Select(i => $"class {i}")]));

    /// <summary>The format 1.8 kind: 3×3×4 → Conv2d 1×1 to 2 (ReLU; the squeeze) → Conv2d 1×1 to 3 (ReLU) → Branch back to
    /// activation 1 → Conv2d 3×3 pad 1 to 5 (ReLU) → Concat of activation 2 (3 + 5 channels) → Concat of the model's input
    /// after its input (8 + 4 channels) → ChannelShuffle of 3 groups → ChannelSlice of channels 2 … 10 → Flatten → Dense
    /// 81→6 (the three 1.8 kinds). Tensors in file order: 0 W 4×2, 1 b [2], 2 W 2×3, 3 b [3], 4 W 18×5, 5 b [5], 6 W 81×6,
    /// 7 b [6].</summary>
    public static Model Concat() => new(new TensorShape(3, 3, 4),
        [
            new Conv2dLayer(Matrix(4, 2, 51), Vector(2, 52), 4, new ConvolutionGeometry(1), Activation.Relu),
            new Conv2dLayer(Matrix(2, 3, 53), Vector(3, 54), 2, new ConvolutionGeometry(1), Activation.Relu),
            new BranchLayer(1),
            new Conv2dLayer(Matrix(18, 5, 55), Vector(5, 56), 2, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new ConcatLayer(2),
            new ConcatLayer(0, inputFirst: true),
            new ChannelShuffleLayer(3),
            new ChannelSliceLayer(2, 9),
            new FlattenLayer(),
            new DenseLayer(Matrix(81, 6, 57), Vector(6, 58)),
        ],
        FullMetadata([.. Enumerable.Range(0, 6).Select(i => $"class {i}")]));

    /// <summary>Format 1.9's kinds: a squeeze-and-excitation block over a hard-swished image (pooled, squeezed to 3 channels,
    /// expanded back, gated by PyTorch's hard sigmoid, scaling the image), a SiLU, and a vector gated by ONNX's default hard
    /// sigmoid of itself.</summary>
    public static Model Excite() => new(new TensorShape(3, 3, 4),
        [
            new Conv2dLayer(Matrix(4, 6, 61), Vector(6, 62), 4, new ConvolutionGeometry(1)),
            new HardSwishLayer(),                                                   // activation 2, scaled by layer 6
            new AvgPool2dLayer(3, 3),
            new Conv2dLayer(Matrix(6, 3, 63), Vector(3, 64), 6, new ConvolutionGeometry(1), Activation.Relu),
            new Conv2dLayer(Matrix(3, 6, 65), Vector(6, 66), 3, new ConvolutionGeometry(1)),
            new HardSigmoidLayer(),
            new ChannelScaleLayer(2),
            new SiluLayer(),
            new FlattenLayer(),
            new DenseLayer(Matrix(54, 8, 67), Vector(8, 68)),                      // activation 10, scaled by layer 11
            new HardSigmoidLayer(0.2f, 0.5f),
            new ChannelScaleLayer(10),
            new DenseLayer(Matrix(8, 5, 69), Vector(5, 70)),
        ],
        FullMetadata([.. Enumerable.Range(0, 5).Select(i => $"class {i}")]));

    /// <summary>Format 1.12's kind: leaky ReLUs of PyTorch's default slope after a convolution and of another after a dense
    /// layer.</summary>
    public static Model Leaky() => new(new TensorShape(3, 3, 2),
        [
            new Conv2dLayer(Matrix(2, 4, 71), Vector(4, 72), 2, new ConvolutionGeometry(1)),
            new LeakyReluLayer(),
            new FlattenLayer(),
            new DenseLayer(Matrix(36, 5, 73), Vector(5, 74)),
            new LeakyReluLayer(0.2f),
            new DenseLayer(Matrix(5, 3, 75), Vector(3, 76)),
        ],
        FullMetadata([.. Enumerable.Range(0, 3).Select(i => $"class {i}")]));

    /// <summary>Format 1.13's windows padded per side (top, left, bottom, right), on a non-square image: 8×6×3 → Conv2d 3×3
    /// stride 2 padded (0, 0, 1, 1), TensorFlow's SAME, to 4 channels (ReLU) → DepthwiseConv2d 3×3 padded (2, 0, 0, 2) →
    /// FactorizedConv2d 4×4 padded (1, 1, 2, 2), PyTorch's padding='same' with an even kernel, rank 2 (SVD), to 5 channels
    /// → MaxPool 3 stride 2 padded (0, 0, 1, 1) → Flatten → Dense 10→3. Shapes 4×3×4, 4×3×4, 4×3×5, 2×1×5, 10, 3; its
    /// records are 88 bytes long.</summary>
    public static Model Uneven() => new(new TensorShape(8, 6, 3),
        [
            new Conv2dLayer(Matrix(27, 4, 81), Vector(4, 82), 3, new ConvolutionGeometry(3, 2, new WindowPadding(0, 0, 1, 1)), Activation.Relu),
            new DepthwiseConv2dLayer(Vector(36, 83), Vector(4, 84), 4, new ConvolutionGeometry(3, 1, new WindowPadding(2, 0, 0, 2))),
            new FactorizedConv2dLayer(Matrix(64, 2, 85), Matrix(2, 5, 86), Vector(5, 87), 4, new ConvolutionGeometry(4, 1, new WindowPadding(1, 1, 2, 2)),
                Activation.None, FactorizationMethod.Svd),
            new MaxPool2dLayer(3, 2, new WindowPadding(0, 0, 1, 1)),
            new FlattenLayer(),
            new DenseLayer(Matrix(10, 3, 88), Vector(3, 89)),
        ],
        FullMetadata(["u", "v", "w"]));

    /// <summary>The names <see cref="ByName"/> knows, for theories over every test model.</summary>
    public static TheoryData<string> Names => ["small", "image", "conv", "classic", "depthwise", "residual", "branch", "concat", "excite", "leaky", "uneven"];

    /// <summary>The model called <paramref name="name"/>: "small", "image", "conv", "classic", "depthwise", "residual",
    /// "branch", "concat", "excite", "leaky" or "uneven".</summary>
    public static Model ByName(string name) => name switch
    {
        "small" => Small(),
        "image" => Image(),
        "conv" => Conv(),
        "classic" => Classic(),
        "depthwise" => Depthwise(),
        "residual" => Residual(),
        "branch" => Branch(),
        "concat" => Concat(),
        "excite" => Excite(),
        "leaky" => Leaky(),
        "uneven" => Uneven(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a test model."),
    };

    /// <summary>The weight matrices of every layer, in layer order (first factor before second).</summary>
    public static IEnumerable<PackedMatrix> Matrices(Model model) => model.Layers.SelectMany(layer => layer.WeightMatrices);

    public static ModelMetadata FullMetadata(string[] labels) => new()
    {
        Producer = "elr",
        ProducerVersion = "0.1.0-test",
        Labels = labels,
        Dataset = "mnist/test",
        ReferenceAccuracy = 0.9812,
        Accuracy = 0.5,
        Properties = new Dictionary<string, string> { ["μ0"] = "1e-3", ["criterion"] = "storage", ["empty"] = "" },
    };

    /// <summary>A rows×columns matrix of distinct values (so a misplaced element is noticed).</summary>
    public static PackedMatrix Matrix(int rows, int columns, int seed)
    {
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = seed + i / 1024f - 0.25f * (i % 3);
        return PackedMatrix.FromRowMajor(values, rows, columns);
    }

    public static float[] Vector(int length, int seed) => Enumerable.Range(0, length).Select(i => seed * 0.5f - i).ToArray();
}
