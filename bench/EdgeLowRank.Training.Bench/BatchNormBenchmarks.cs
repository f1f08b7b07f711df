using BenchmarkDotNet.Attributes;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Training.Bench;

/// <summary>
/// One training step's forward and backward pass of a batch norm (<see cref="BatchNorm2d"/>, training mode: batch statistics,
/// running statistics updated) on resnet-mini-bn's block activation, 14×14×16 at batch 128; of the 3×3 convolution before
/// it (bias-free, 16 to 16 channels, as conv2 to conv5 of that network); and of the two in a row, so what the norm adds to a
/// convolution's step is the difference. The convolution computes its input gradient, as a layer inside a network does.
/// </summary>
[MedianColumn]
[MemoryDiagnoser]
public class BatchNormBenchmarks
{
    private const int Batch = 128;
    private static readonly TensorShape Image = new(14, 14, 16);

    private Conv2d _conv = null!;
    private BatchNorm2d _norm = null!;
    private ComputeThreads _threads = null!;
    private float[] _input = null!, _convOutput = null!, _normOutput = null!;
    private float[] _normOutputGradient = null!, _convOutputGradient = null!, _inputGradient = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _conv = new Conv2d("conv2", 16, 16, new ConvolutionGeometry(3, 1, 1), hasBias: false);
        _norm = new BatchNorm2d("bn2", 16);
        _norm.Bind(_conv.Bind(Image, Batch), Batch);
        _threads = new ComputeThreads(Threads);
        var random = new Random(1);
        // Kaiming-uniform's range for a fan-in of 3·3·16, so the activations have a training step's scale.
        float bound = MathF.Sqrt(6f / _conv.PatchLength);
        for (int i = 0; i < _conv.Weight.Value.Length; i++) _conv.Weight.Value[i] = bound * (2 * random.NextSingle() - 1);
        int length = Batch * Image.ElementCount;
        _input = Enumerable.Range(0, length).Select(_ => 4 * random.NextSingle() - 2).ToArray();
        _normOutputGradient = Enumerable.Range(0, length).Select(_ => 2 * random.NextSingle() - 1).ToArray();
        _convOutput = new float[length];
        _normOutput = new float[length];
        _convOutputGradient = new float[length];
        _inputGradient = new float[length];
        // The convolution's output as the norm's input, for the norm alone.
        _conv.Forward(_input, _convOutput, Batch, _threads);
    }

    [Benchmark(Baseline = true)]
    public void Conv()
    {
        _conv.Forward(_input, _convOutput, Batch, _threads);
        _conv.Backward(_input, _convOutput, _normOutputGradient, _inputGradient, Batch, _threads);
    }

    [Benchmark]
    public void BatchNorm()
    {
        _norm.Forward(_convOutput, _normOutput, Batch, _threads);
        _norm.Backward(_convOutput, _normOutput, _normOutputGradient, _convOutputGradient, Batch, _threads);
    }

    [Benchmark]
    public void ConvThenBatchNorm()
    {
        _conv.Forward(_input, _convOutput, Batch, _threads);
        _norm.Forward(_convOutput, _normOutput, Batch, _threads);
        _norm.Backward(_convOutput, _normOutput, _normOutputGradient, _convOutputGradient, Batch, _threads);
        _conv.Backward(_input, _convOutput, _convOutputGradient, _inputGradient, Batch, _threads);
    }
}
