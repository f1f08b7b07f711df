using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Small models for format tests, with every kind of layer and metadata field v1 stores.</summary>
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
