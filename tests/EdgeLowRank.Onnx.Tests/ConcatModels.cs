using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Onnx.Tests;

/// <summary>Models with Concat layers for <see cref="RoundTripTests"/>: exported, ONNX Runtime computes what the runtime
/// computes, and imported again they give back the same layers and outputs. Activations are numbered as the layers'
/// sources number them (0 the input, j the output of layer j − 1).</summary>
internal static class ConcatModels
{
    /// <summary>Two SqueezeNet Fire modules, one per order: 8×8×3 → Conv2d 3×3 pad 1 to 4, ReLU (1) → Conv2d 1×1 to 4, ReLU
    /// (2) → Branch ← 1 → Conv2d 3×3 pad 1 to 4, ReLU → Concat ← 2 (the 1×1 path's channels first; 8 channels) → Conv2d 1×1
    /// to 3, ReLU (6) → Conv2d 1×1 to 4, ReLU (7) → Branch ← 6 → Conv2d 3×3 pad 1 to 2, ReLU → Concat → 7 (the chain's 2
    /// channels first; 6) → MaxPool2d 2/2 → Flatten of the 4×4×6 image in ONNX's order → Dense 5.</summary>
    public static Model FireModules() => new(new TensorShape(8, 8, 3),
        [
            Conv(3, 4, Same, 1),
            Conv(4, 4, Point, 2),
            new BranchLayer(1),
            Conv(4, 4, Same, 3),
            new ConcatLayer(2),
            Conv(8, 3, Point, 4),
            Conv(3, 4, Point, 5),
            new BranchLayer(6),
            Conv(3, 2, Same, 6),
            new ConcatLayer(7, inputFirst: true),
            new MaxPool2dLayer(2, 2),
            new FlattenLayer(),
            new DenseLayer(Matrix(96, 5, 7), Compare.Random(5, 8)),
        ],
        new ModelMetadata { Producer = "tests" });

    /// <summary>Three paths from one tensor stacked in the order (b, c, a), the chain's own path in the middle, as two
    /// Concats: 6×6×4 → Conv2d 1×1 to 4, ReLU (1) → a: Conv2d 1×1 to 3 (2) → Branch ← 1 → b: Conv2d 3×3 pad 1 to 2 (4) →
    /// Branch ← 1 → c: Conv2d 1×1 to 5 → Concat ← 4 ([b, c]) → Concat → 2 ([b, c, a]; 10 channels) → Flatten of the 6×6×10
    /// image in ONNX's order, whose rows the Dense takes per stacked channel → Dense 4.</summary>
    public static Model ThreeWayConcat() => new(new TensorShape(6, 6, 4),
        [
            Conv(4, 4, Point, 1),
            Conv(4, 3, Point, 2, Activation.None),
            new BranchLayer(1),
            Conv(4, 2, Same, 3, Activation.None),
            new BranchLayer(1),
            Conv(4, 5, Point, 4, Activation.None),
            new ConcatLayer(4),
            new ConcatLayer(2, inputFirst: true),
            new FlattenLayer(),
            new DenseLayer(Matrix(360, 4, 5), Compare.Random(4, 6)),
        ],
        new ModelMetadata { Producer = "tests" });

    /// <summary>A DenseNet-style Concat of the model's input: 6×6×2 → Conv2d 3×3 pad 1 to 4, ReLU → Concat ← 0 (the input's
    /// 2 channels first) → Conv2d 1×1 to 3 → Flatten → Dense 4.</summary>
    public static Model ConcatOfTheInput() => new(new TensorShape(6, 6, 2),
        [
            Conv(2, 4, Same, 1),
            new ConcatLayer(0),
            Conv(6, 3, Point, 2, Activation.None),
            new FlattenLayer(),
            new DenseLayer(Matrix(108, 4, 3), Compare.Random(4, 4)),
        ],
        new ModelMetadata { Producer = "tests" });

    /// <summary>Concats of vectors, one of a flattened image that no Branch reads (the export flattens it in the runtime's
    /// order only because the Concat stacks it so): 4×4×2 → Conv2d 3×3 pad 1 to 3, ReLU → Flatten (2: 48) → Dense 6, ReLU (3)
    /// → Dense 5, ReLU (4) → Branch ← 3 → Dense 4 → Concat → 4 ([the path's 4, 5]) → Concat ← 2 ([48, 9]) → Dense 5 → Softmax.</summary>
    public static Model VectorConcats() => new(new TensorShape(4, 4, 2),
        [
            Conv(2, 3, Same, 1),
            new FlattenLayer(),
            new DenseLayer(Matrix(48, 6, 2), Compare.Random(6, 3), Activation.Relu),
            new DenseLayer(Matrix(6, 5, 4), Compare.Random(5, 5), Activation.Relu),
            new BranchLayer(3),
            new DenseLayer(Matrix(6, 4, 6), Compare.Random(4, 7)),
            new ConcatLayer(4, inputFirst: true),
            new ConcatLayer(2),
            new DenseLayer(Matrix(57, 5, 8), Compare.Random(5, 9)),
            new SoftmaxLayer(),
        ],
        new ModelMetadata { Producer = "tests" });

    /// <summary>A Branch whose path is empty, straight into a Concat: 5×5×2 → Conv2d 3×3 pad 1 to 3, ReLU (1) → Conv2d 1×1
    /// to 4, ReLU (2) → Branch ← 1 → Concat ← 2 ([activation 2, activation 1]: 7 channels) → Flatten → Dense 4.</summary>
    public static Model BranchIntoConcat() => new(new TensorShape(5, 5, 2),
        [
            Conv(2, 3, Same, 1),
            Conv(3, 4, Point, 2),
            new BranchLayer(1),
            new ConcatLayer(2),
            new FlattenLayer(),
            new DenseLayer(Matrix(175, 4, 3), Compare.Random(4, 4)),
        ],
        new ModelMetadata { Producer = "tests" });

    internal static readonly ConvolutionGeometry Same = new(3, 1, 1), Point = new(1);

    internal static PackedMatrix Matrix(int rows, int columns, int seed) =>
        PackedMatrix.FromRowMajor(Compare.Random(rows * columns, seed).Select(v => v * 2 / MathF.Sqrt(rows)).ToArray(), rows, columns);

    internal static Conv2dLayer Conv(int inputs, int outputs, ConvolutionGeometry window, int seed, Activation activation = Activation.Relu) =>
        new(Matrix(window.KernelSize * window.KernelSize * inputs, outputs, seed), Compare.Random(outputs, seed + 100), inputs, window, activation);
}
