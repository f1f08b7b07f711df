using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// The format 1.4 kernels (and 1.6's ReLU6, 1.9's SiLU, hard swish and hard sigmoid, 1.12's leaky ReLU) on lenet5-1998's largest activation, conv1's 28×28×6 output, for one image and a batch of 64:
/// each vector kernel against its scalar reference and, for tanh and the sigmoid, against TensorPrimitives, which the
/// runtime does not use because its vector and scalar-tail results differ (TanhKernel's remarks).
/// </summary>
[MedianColumn]
public class ActivationBenchmarks
{
    private const int Side = 28, Channels = 6;
    private static readonly ConvolutionGeometry Pool = new(2, 2);
    private float[] _x = null!, _y = null!, _pooled = null!;

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _x = Enumerable.Range(0, Batch * Side * Side * Channels).Select(_ => 4 * random.NextSingle() - 2).ToArray();
        _y = new float[_x.Length];
        _pooled = new float[Batch * (Side / 2) * (Side / 2) * Channels];
    }

    [Benchmark(Baseline = true)]
    public void Tanh() => TanhKernel.Run(_x, _y);

    [Benchmark]
    public void TanhScalarReference() => TanhKernel.Reference(_x, _y);

    [Benchmark]
    public void TanhTensorPrimitives() => TensorPrimitives.Tanh(_x, _y);

    [Benchmark]
    public void Sigmoid() => SigmoidKernel.Run(_x, _y);

    [Benchmark]
    public void SigmoidScalarReference() => SigmoidKernel.Reference(_x, _y);

    [Benchmark]
    public void SigmoidTensorPrimitives() => TensorPrimitives.Sigmoid(_x, _y);

    /// <summary>ReLU6 (format 1.6) over the same activation: its vector map against its scalar reference and TensorPrimitives'
    /// Clamp.</summary>
    [Benchmark]
    public void Relu6() => Relu6Kernel.Run(_x, _y);

    [Benchmark]
    public void Relu6ScalarReference() => Relu6Kernel.Reference(_x, _y);

    [Benchmark]
    public void Relu6TensorPrimitives() => TensorPrimitives.Clamp(_x, 0f, 6f, _y);

    /// <summary>SiLU (format 1.9) over the same activation: sixteen lanes where AVX-512 is, against eight (Vector{T}'s width
    /// there) and its scalar reference.</summary>
    [Benchmark]
    public void Silu() => SiluKernel.Run(_x, _y);

    [Benchmark]
    public void SiluAtVectorWidth() => SiluKernel.RunAtVectorWidth(_x, _y);

    [Benchmark]
    public void SiluScalarReference() => SiluKernel.Reference(_x, _y);

    /// <summary>The leaky ReLU (format 1.12) at PyTorch's default slope, a pass of its own as the session runs it (no layer
    /// fuses it): its vector map against its scalar reference.</summary>
    [Benchmark]
    public void LeakyRelu() => LeakyReluKernel.Run(_x, _y, 0.01f);

    [Benchmark]
    public void LeakyReluScalarReference() => LeakyReluKernel.Reference(_x, _y, 0.01f);

    /// <summary>The hard sigmoid (format 1.9) at PyTorch's slope and offset, the other kernel whose function carries
    /// parameters (its slope and offset vectors).</summary>
    [Benchmark]
    public void HardSigmoid() => HardSigmoidKernel.Run(_x, _y, 1f / 6, 0.5f);

    [Benchmark]
    public void HardSigmoidScalarReference() => HardSigmoidKernel.Reference(_x, _y, 1f / 6, 0.5f);

    /// <summary>The hard swish (format 1.9) as a pass of its own, the cost fusing it into a convolution's store saves.</summary>
    [Benchmark]
    public void HardSwish() => HardSwishKernel.Run(_x, _y);

    [Benchmark]
    public void HardSwishScalarReference() => HardSwishKernel.Reference(_x, _y);

    /// <summary>Six channels are fewer than a 256-bit vector's eight lanes: on x64 this runs the 128-bit loop.</summary>
    [Benchmark]
    public void AveragePool()
    {
        int image = Side * Side * Channels, pooled = _pooled.Length / Batch;
        for (int b = 0; b < Batch; b++)
            AvgPoolKernel.Run(_x.AsSpan(b * image, image), Side, Side, Channels, Pool, _pooled.AsSpan(b * pooled, pooled));
    }
}
