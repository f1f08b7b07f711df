using EdgeLowRank.FixtureGenerator;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Small seeded models and a plain float64 forward pass to check the session against.</summary>
internal static class TestModels
{
    public static float[] RandomFloats(Random random, int count, float scale = 1f) =>
        Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2 - 1) * scale).ToArray();

    public static PackedMatrix RandomMatrix(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(RandomFloats(random, rows * columns, 1f / MathF.Sqrt(rows)), rows, columns);

    /// <summary>Dense layers from <paramref name="widths"/>[0] inputs through each width in turn, ReLU fused into all but the
    /// last, on a vector input: the digits MLP is DenseChain(seed, 64, 128, 64, 10).</summary>
    public static Model DenseChain(int seed, params int[] widths)
    {
        var random = new Random(seed);
        Layer[] layers = [.. Enumerable.Range(1, widths.Length - 1).Select(i => new DenseLayer(RandomMatrix(random, widths[i - 1], widths[i]),
            RandomFloats(random, widths[i], 0.1f), i < widths.Length - 1 ? Activation.Relu : Activation.None))];
        return new Model(new TensorShape(widths[0]), layers, new ModelMetadata());
    }

    /// <summary>784-300-100-10 with the middle layers factorized (ranks 30 and 20), ReLU as separate layers so the planner fuses them.</summary>
    public static Model FactorizedMlp(int seed = 7)
    {
        var random = new Random(seed);
        Layer[] layers =
        [
            new FactorizedDenseLayer(RandomMatrix(random, 784, 30), RandomMatrix(random, 30, 300), RandomFloats(random, 300, 0.1f), Activation.None, FactorizationMethod.Cur),
            new ReluLayer(),
            new FactorizedDenseLayer(RandomMatrix(random, 300, 20), RandomMatrix(random, 20, 100), RandomFloats(random, 100, 0.1f), Activation.Relu, FactorizationMethod.Svd),
            new DenseLayer(RandomMatrix(random, 100, 10), RandomFloats(random, 10, 0.1f)),
            new SoftmaxLayer(),
        ];
        return new Model(new TensorShape(28, 28, 1), [new FlattenLayer(), .. layers], new ModelMetadata { Producer = "tests" });
    }

    /// <summary>An odd-shaped chain that exercises panel tails: 37 → 19 → (r=5) 7, ReLU first.</summary>
    public static Model OddChain(int seed = 11)
    {
        var random = new Random(seed);
        Layer[] layers =
        [
            new ReluLayer(),
            new DenseLayer(RandomMatrix(random, 37, 19), RandomFloats(random, 19), Activation.Relu),
            new FactorizedDenseLayer(RandomMatrix(random, 19, 5), RandomMatrix(random, 5, 7), ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Svd),
        ];
        return new Model(new TensorShape(37), layers, new ModelMetadata());
    }

    /// <summary>The forward pass in float64, one sample at a time: the generator's reference pass
    /// (tests/FixtureGenerator/ReferenceForward.cs), which recorded the golden files' expected outputs.</summary>
    public static double[] Reference(Model model, ReadOnlySpan<float> input) => ReferenceForward.Run(model, input);
}
