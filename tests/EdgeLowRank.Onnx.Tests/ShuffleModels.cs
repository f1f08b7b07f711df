using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Onnx.Tests.ConcatModels;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Models with ChannelSlice and ChannelShuffle layers for <see cref="RoundTripTests"/>, beyond the golden
/// shuffle-units (ShuffleNet's two units, 2 groups, images only).</summary>
internal static class ShuffleModels
{
    /// <summary>Slices and shuffles of images and of vectors, groups other than 2: 4×4×3 → Conv2d 3×3 pad 1 to 6, ReLU →
    /// ChannelShuffle 3 → ChannelSlice 1…4 → Flatten (64) → ChannelSlice 10…49 of the flattened image (which the export
    /// must then flatten in the runtime's order, not ONNX's) → Dense 12, ReLU → ChannelShuffle 4 → ChannelSlice 3…8 → Dense 5.</summary>
    public static Model ShuffledSlices() => new(new TensorShape(4, 4, 3),
        [
            Conv(3, 6, Same, 1),
            new ChannelShuffleLayer(3),
            new ChannelSliceLayer(1, 4),
            new FlattenLayer(),
            new ChannelSliceLayer(10, 40),
            new DenseLayer(Matrix(40, 12, 2), Compare.Random(12, 3), Activation.Relu),
            new ChannelShuffleLayer(4),
            new ChannelSliceLayer(3, 6),
            new DenseLayer(Matrix(6, 5, 4), Compare.Random(5, 5)),
        ],
        new ModelMetadata { Producer = "tests" });
}
