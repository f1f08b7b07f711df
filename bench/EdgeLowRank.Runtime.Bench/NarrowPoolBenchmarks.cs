using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>Max and average pooling 2×2 by 2 of one 28×28 image with one or three channels (a grey or colour input
/// pooled first), too few for a vector of channels: the pooling loop one lane at a time against the scalar oracle.</summary>
[MedianColumn]
public class NarrowPoolBenchmarks
{
    private const int Side = 28;
    private static readonly ConvolutionGeometry Window = new(2, 2);
    private float[] _image = null!, _pooled = null!;

    [Params(1, 3)]
    public int Channels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _image = Enumerable.Range(0, Side * Side * Channels).Select(_ => random.NextSingle()).ToArray();
        _pooled = new float[Side / 2 * (Side / 2) * Channels];
    }

    [Benchmark(Baseline = true)]
    public void MaxPool() => MaxPoolKernel.Run(_image, Side, Side, Channels, Window, _pooled);

    [Benchmark]
    public void MaxPoolScalarReference() => MaxPoolKernel.Reference(_image, Side, Side, Channels, Window, _pooled);

    [Benchmark]
    public void AveragePool() => AvgPoolKernel.Run(_image, Side, Side, Channels, Window, _pooled);

    [Benchmark]
    public void AveragePoolScalarReference() => AvgPoolKernel.Reference(_image, Side, Side, Channels, Window, _pooled);
}
