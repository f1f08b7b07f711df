using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Kernels;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Layers that quantize their inputs, in a session: every path and thread count gives the scalar reference's bits
/// at every batch (the quantization is per sample, so a sample's outputs do not depend on its batch), a ReLU the planner
/// fuses is applied, and the outputs stay near the weight-only int8 model's.</summary>
public sealed class IntegerProductSessionTests
{
    /// <summary><see cref="TestModels.FactorizedMlp"/> with int8 weights, every matrix layer quantizing its inputs, without its
    /// softmax (whose paths round differently).</summary>
    internal static Model DynamicMlp(bool dynamic = true)
    {
        using Model mlp = TestModels.FactorizedMlp();
        Model int8 = ModelWeights.MapMatrices(mlp, (_, matrix) => matrix.Quantize());
        Assert.IsType<SoftmaxLayer>(int8.Layers[^1]);
        InputQuantization mode = dynamic ? InputQuantization.Dynamic : InputQuantization.None;
        return new Model(int8.InputShape, [.. int8.Layers.SkipLast(1).Select(layer => layer.WeightMatrices.Count > 0 ? LayerEdits.With(layer, mode) : layer)], int8.Metadata);
    }

    public static TheoryData<KernelPath, int> PathsAndThreads
    {
        get
        {
            var data = new TheoryData<KernelPath, int>();
            foreach (KernelPath path in IntegerDenseKernelTests.SimdPaths)
                foreach (int threads in (int[])[1, 2])
                    data.Add(path, threads);
            data.Add(KernelPath.Scalar, 2);
            return data;
        }
    }

    [Theory, MemberData(nameof(PathsAndThreads))]
    public void EveryPathAndThreadCountGivesTheReferencesBits(KernelPath path, int threads)
    {
        using Model model = DynamicMlp();
        float[] input = TestModels.RandomFloats(new Random(5), 5 * 784);
        float[] reference = Run(model, input, 5, new SessionOptions { KernelPath = KernelPath.Scalar });
        Assert.Equal(reference, Run(model, input, 5, new SessionOptions { KernelPath = path, Threads = threads }));
        Assert.Equal(reference[..10], Run(model, input[..784], 1, new SessionOptions { KernelPath = path, Threads = threads }));
    }

    [Fact]
    public void TheOutputsStayNearTheWeightOnlyModels()
    {
        using Model dynamic = DynamicMlp();
        using Model weightOnly = DynamicMlp(dynamic: false);
        float[] input = TestModels.RandomFloats(new Random(6), 784);
        float[] integer = Run(dynamic, input, 1, new SessionOptions());
        float[] floats = Run(weightOnly, input, 1, new SessionOptions());
        Assert.NotEqual(floats, integer); // the integer product ran
        for (int i = 0; i < floats.Length; i++) Assert.Equal(floats[i], integer[i], 0.05 * Math.Max(1, Math.Abs(floats[i])));
    }

    /// <summary>784 → 1000 (ReLU) → 10, both layers integer: the first is large enough to be split across threads at one
    /// image, its last panel partial (1000 columns).</summary>
    private static Model Wide()
    {
        var random = new Random(12);
        PackedMatrix Matrix(int rows, int columns) => TestModels.RandomMatrix(random, rows, columns).Quantize();
        return new Model(new TensorShape(784),
        [
            new DenseLayer(Matrix(784, 1000), TestModels.RandomFloats(random, 1000, 0.1f), Activation.Relu, InputQuantization.Dynamic),
            new DenseLayer(Matrix(1000, 10), TestModels.RandomFloats(random, 10, 0.1f), Activation.None, InputQuantization.Dynamic),
        ], new ModelMetadata());
    }

    [Theory]
    [InlineData(KernelPath.Auto)]
    [InlineData(KernelPath.Scalar)]
    public void AProductSplitAcrossThreadsComputesWhatOneThreadComputes(KernelPath path)
    {
        using Model model = Wide();
        Assert.Equal((3, false), SplitKernelRunner.ProductSplitFor(3, 1, 1, 784, 1000));
        foreach (int batch in (int[])[1, 3])
        {
            float[] input = TestModels.RandomFloats(new Random(batch), batch * 784, 2f);
            float[] alone = Run(model, input, batch, new SessionOptions { KernelPath = path });
            foreach (int threads in (int[])[2, 3])
                Assert.Equal(alone, Run(model, input, batch, new SessionOptions { KernelPath = path, Threads = threads }));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void ARunAllocatesNothing(int batch)
    {
        using Model model = DynamicMlp();
        using var session = new InferenceSession(model);
        float[] input = TestModels.RandomFloats(new Random(8), batch * session.InputLength);
        var output = new float[batch * session.OutputLength];
        Assert.Equal(0, AllocationProbe.RecurringBytes(() => session.Run(input, output, batch)));
    }

    [Fact]
    public void AStepThatMultipliesInIntegersSaysSo()
    {
        using Model model = DynamicMlp();
        using var session = new InferenceSession(model);
        Assert.Equal(["FactorizedDense+Relu 784→300 uint8×int8 (r=30)", "FactorizedDense+Relu 300→100 uint8×int8 (r=20)", "Dense 100→10 uint8×int8"],
            session.Steps.Select(s => s.Name));
    }

    [Fact]
    public void TheFusedReluIsApplied()
    {
        using Model model = DynamicMlp();
        var first = (FactorizedDenseLayer)model.Layers[1];
        Assert.IsType<ReluLayer>(model.Layers[2]); // fused into the first factorized layer's store
        using var session = new InferenceSession(new Model(model.InputShape, [model.Layers[0], first, model.Layers[2]], model.Metadata));
        var output = new float[session.OutputLength];
        session.Run(TestModels.RandomFloats(new Random(7), 784), output);
        Assert.Contains(output, v => v == 0);
        Assert.All(output, v => Assert.True(v >= 0));
    }

    private static float[] Run(Model model, float[] input, int batch, SessionOptions options)
    {
        using var session = new InferenceSession(model, options);
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }
}
