using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.Tests.ConcatModels;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Models with the format 1.9 kinds (HardSwish, HardSigmoid, SiLU, ChannelScale) for <see cref="RoundTripTests"/>.
/// Activations are numbered as the layers' sources number them (0 the input, j the output of layer j − 1).</summary>
internal static class SqueezeExcitationModels
{
    /// <summary>MobileNetV3- and EfficientNet-style blocks with gates of both forms: 6×6×3 → Conv2d 3×3 pad 1 to 8 (1) →
    /// HardSwish (2) → DepthwiseConv2d 3×3 pad 1 (3) → SiLU (4) → AvgPool2d 6 (1×1×8) → Conv2d 1×1 to 4, ReLU → Conv2d 1×1
    /// to 8 → HardSigmoid(1/6, 0.5) → ChannelScale ← 4 → Conv2d 1×1 to 6 (10) → HardSigmoid(0.2, 0.5) (11) → AvgPool2d 6 →
    /// Flatten (6) → Dense 6 → 3, ReLU → Dense 3 → 6 → Sigmoid → ChannelScale ← 11 (a vector gate for an image: the export
    /// Unsqueezes it) → Flatten of the 6×6×6 image in ONNX's order → Dense 5.</summary>
    public static Model Blocks() => new(new TensorShape(6, 6, 3),
        [
            Conv(3, 8, Same, 1, Activation.None),
            new HardSwishLayer(),
            new DepthwiseConv2dLayer(Compare.Random(9 * 8, 2), Compare.Random(8, 3), 8, Same),
            new SiluLayer(),
            new AvgPool2dLayer(6, 6),
            Conv(8, 4, Point, 4),
            Conv(4, 8, Point, 5, Activation.None),
            new HardSigmoidLayer(),
            new ChannelScaleLayer(4),
            Conv(8, 6, Point, 6, Activation.None),
            new HardSigmoidLayer(0.2f, 0.5f),
            new AvgPool2dLayer(6, 6),
            new FlattenLayer(),
            new DenseLayer(Matrix(6, 3, 7), Compare.Random(3, 8), Activation.Relu),
            new DenseLayer(Matrix(3, 6, 9), Compare.Random(6, 10)),
            new SigmoidLayer(),
            new ChannelScaleLayer(11),
            new FlattenLayer(),
            new DenseLayer(Matrix(216, 5, 11), Compare.Random(5, 12)),
        ],
        new ModelMetadata { Producer = "tests" });

    /// <summary>A gate computed from the block's input scaling its main path, which a Branch leaves, and a vector's gate:
    /// 6×6×3 → Conv2d 3×3 pad 1 to 4, ReLU (1) → Conv2d 3×3 pad 1 to 4 (2) → Branch ← 1 → AvgPool2d 6 → Conv2d 1×1 to 4 →
    /// HardSigmoid(0.3, −0.25) → ChannelScale ← 2 → Flatten (144) → Dense 144 → 8, ReLU (9) → Dense 8 → 8 → SiLU → Sigmoid
    /// (whose Mul multiplies activation 9, not its input: no SiLU) → ChannelScale ← 9 → Dense 8 → 3.</summary>
    public static Model GatedBranchAndVector() => new(new TensorShape(6, 6, 3),
        [
            Conv(3, 4, Same, 1),
            Conv(4, 4, Same, 2, Activation.None),
            new BranchLayer(1),
            new AvgPool2dLayer(6, 6),
            Conv(4, 4, Point, 3, Activation.None),
            new HardSigmoidLayer(0.3f, -0.25f),
            new ChannelScaleLayer(2),
            new FlattenLayer(),
            new DenseLayer(Matrix(144, 8, 4), Compare.Random(8, 5), Activation.Relu),
            new DenseLayer(Matrix(8, 8, 6), Compare.Random(8, 7)),
            new SiluLayer(),
            new SigmoidLayer(),
            new ChannelScaleLayer(9),
            new DenseLayer(Matrix(8, 3, 8), Compare.Random(3, 9)),
        ],
        new ModelMetadata { Producer = "tests" });

    /// <summary>A vector scaled by a 1×1 image's channels: 4×4×2 → Conv2d 3×3 pad 1 to 8, ReLU (1) → AvgPool2d 4 (2: 1×1×8)
    /// → Flatten (3: 8) → Dense 8 → 8 (4) → Branch ← 2 → Conv2d 1×1 to 8 → HardSigmoid(1/6, 0.5) (a 1×1×8 gate) →
    /// ChannelScale ← 4 → Dense 8 → 3. ONNX broadcasts an N×C×1×1 gate over an N×C vector to N×C×N×C, so the export
    /// flattens the gate, which comes back as a Flatten layer before the ChannelScale.</summary>
    public static Model VectorByImageGate() => new(new TensorShape(4, 4, 2),
        [
            Conv(2, 8, Same, 1),
            new AvgPool2dLayer(4, 4),
            new FlattenLayer(),
            new DenseLayer(Matrix(8, 8, 2), Compare.Random(8, 3)),
            new BranchLayer(2),
            Conv(8, 8, Point, 4, Activation.None),
            new HardSigmoidLayer(),
            new ChannelScaleLayer(4),
            new DenseLayer(Matrix(8, 3, 5), Compare.Random(3, 6)),
        ],
        new ModelMetadata { Producer = "tests" });
}
