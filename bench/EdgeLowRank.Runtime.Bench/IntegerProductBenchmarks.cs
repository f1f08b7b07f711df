using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// LeNet-300-100's first layer, 784 → 300, dense and factorized at rank 30, three ways on the same int8 weights: the f32
/// values (the baseline), int8 weights widened to f32 in registers (weight-only), and the integer product with each sample's
/// inputs quantized as it runs (<see cref="IntegerDenseKernel"/>, the quantization included in its time).
/// </summary>
[MedianColumn]
public class IntegerProductBenchmarks
{
    private const int Inputs = 784, Outputs = 300, Rank = 30;
    private PackedMatrix _dense = null!, _first = null!, _second = null!, _denseValues = null!, _firstValues = null!, _secondValues = null!;
    private float[] _bias = null!, _x = null!, _projected = null!, _y = null!, _scratch = null!;

    [ParamsSource(typeof(AcceleratedPaths), nameof(AcceleratedPaths.Vectors))]
    public KernelPath Path { get; set; }

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        (_dense, _denseValues) = Matrix(random, Inputs, Outputs);
        (_first, _firstValues) = Matrix(random, Inputs, Rank);
        (_second, _secondValues) = Matrix(random, Rank, Outputs);
        _bias = Floats(random, Outputs);
        _x = Floats(random, Batch * Inputs);
        _projected = new float[Batch * Rank];
        _y = new float[Batch * Outputs];
        _scratch = new float[IntegerDenseKernel.ScratchFloats(Batch, Inputs)];
        _ = _dense.IntegerPanels; // rearranged once, at load, as a session does
        _ = _first.IntegerPanels;
        _ = _second.IntegerPanels;
    }

    [Benchmark(Baseline = true)]
    public void DenseF32() => DenseKernel.Run(_x, Batch, _denseValues, _bias, Activation.Relu, _y, Path);

    [Benchmark]
    public void DenseWeightOnly() => DenseKernel.Run(_x, Batch, _dense, _bias, Activation.Relu, _y, Path);

    [Benchmark]
    public void DenseInteger() => IntegerDenseKernel.RunValidated(_x, Batch, _dense, _bias, FusedActivation.Relu, _y, _scratch, Path);

    [Benchmark]
    public void FactorizedF32()
    {
        DenseKernel.Run(_x, Batch, _firstValues, ReadOnlySpan<float>.Empty, Activation.None, _projected, Path);
        DenseKernel.Run(_projected, Batch, _secondValues, _bias, Activation.Relu, _y, Path);
    }

    [Benchmark]
    public void FactorizedWeightOnly()
    {
        DenseKernel.Run(_x, Batch, _first, ReadOnlySpan<float>.Empty, Activation.None, _projected, Path);
        DenseKernel.Run(_projected, Batch, _second, _bias, Activation.Relu, _y, Path);
    }

    [Benchmark]
    public void FactorizedInteger()
    {
        IntegerDenseKernel.RunValidated(_x, Batch, _first, ReadOnlySpan<float>.Empty, FusedActivation.None, _projected, _scratch, Path);
        IntegerDenseKernel.RunValidated(_projected, Batch, _second, _bias, FusedActivation.Relu, _y, _scratch, Path);
    }

    private static float[] Floats(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => random.NextSingle() - 0.5f).ToArray();

    /// <summary>A random matrix quantized to int8, and the f32 matrix of its values q × scale.</summary>
    private static (PackedMatrix Int8, PackedMatrix Values) Matrix(Random random, int rows, int columns)
    {
        PackedMatrix int8 = PackedMatrix.FromRowMajor(Floats(random, rows * columns), rows, columns).Quantize();
        return (int8, PackedMatrix.FromRowMajor(int8.ToRowMajor(), rows, columns));
    }
}
