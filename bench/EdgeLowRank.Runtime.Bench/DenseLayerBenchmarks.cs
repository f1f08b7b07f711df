using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// LeNet-300-100's first layer, 784 → 300, dense against factorized at rank 30 (784 → 30 → 300),
/// for each kernel path this CPU accelerates (Vector512 needs an AVX-512 CPU and the JIT), as GEMV (batch 1) and packed GEMM (batch 64).
/// </summary>
[MedianColumn]
public class DenseLayerBenchmarks
{
    private const int Inputs = 784, Outputs = 300, Rank = 30;
    private PackedMatrix _dense = null!, _first = null!, _second = null!;
    private float[] _bias = null!, _x = null!, _projected = null!, _y = null!;

    [ParamsSource(typeof(AcceleratedPaths), nameof(AcceleratedPaths.WithScalar))]
    public KernelPath Path { get; set; }

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _dense = Matrix(random, Inputs, Outputs);
        _first = Matrix(random, Inputs, Rank);
        _second = Matrix(random, Rank, Outputs);
        _bias = Floats(random, Outputs);
        _x = Floats(random, Batch * Inputs);
        _projected = new float[Batch * Rank];
        _y = new float[Batch * Outputs];
    }

    [Benchmark(Baseline = true)]
    public void Dense() =>
        DenseKernel.Run(_x, Batch, _dense.Data.Span, Inputs, Outputs, _bias, Activation.Relu, _y, Path);

    [Benchmark]
    public void Factorized()
    {
        DenseKernel.Run(_x, Batch, _first.Data.Span, Inputs, Rank, ReadOnlySpan<float>.Empty, Activation.None, _projected, Path);
        DenseKernel.Run(_projected, Batch, _second.Data.Span, Rank, Outputs, _bias, Activation.Relu, _y, Path);
    }

    private static float[] Floats(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => random.NextSingle() - 0.5f).ToArray();

    private static PackedMatrix Matrix(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(Floats(random, rows * columns), rows, columns);
}
