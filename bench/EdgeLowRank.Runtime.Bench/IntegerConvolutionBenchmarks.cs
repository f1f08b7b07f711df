using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// LeNet-5's two convolutions as sessions of one layer, one image, three ways on the same int8 weights: the f32 values (the
/// baseline), int8 weights widened to f32 (weight-only), and the integer convolution with the image quantized as it runs
/// (format 1.11; the quantization and the gather of windows included). conv1 is 28×28×1 → 5×5 → 20 (K = 25, 576 pixels),
/// conv2 the factorized 12×12×20 → 5×5 → rank 12 → 50 (K = 500, then 12, 64 pixels).
/// </summary>
[MedianColumn]
public class IntegerConvolutionBenchmarks
{
    private InferenceSession _values = null!, _weightOnly = null!, _integer = null!;
    private float[] _x = null!, _y = null!;

    [Params("conv1", "conv2")]
    public string Layer { get; set; } = "";

    [ParamsSource(typeof(AcceleratedPaths), nameof(AcceleratedPaths.Vectors))]
    public KernelPath Path { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        (Model int8, TensorShape input) = Layer == "conv1" ? (Conv1(random), new TensorShape(28, 28, 1)) : (Conv2(random), new TensorShape(12, 12, 20));
        var options = new SessionOptions { KernelPath = Path };
        _values = new InferenceSession(ModelWeights.MapMatrices(int8, (_, m) => PackedMatrix.FromRowMajor(m.ToRowMajor(), m.Rows, m.Columns)), options);
        _weightOnly = new InferenceSession(int8, options);
        _integer = new InferenceSession(new Model(input, [LayerEdits.With(int8.Layers[0], InputQuantization.Dynamic)], int8.Metadata), options);
        _x = Enumerable.Range(0, input.ElementCount).Select(_ => random.NextSingle()).ToArray(); // an image after a ReLU: from 0 up
        _y = new float[_values.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _values.Dispose();
        _weightOnly.Dispose();
        _integer.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void F32() => _values.Run(_x, _y);

    [Benchmark]
    public void WeightOnly() => _weightOnly.Run(_x, _y);

    [Benchmark]
    public void Integer() => _integer.Run(_x, _y);

    private static Model Conv1(Random random) => new(new TensorShape(28, 28, 1),
        [new Conv2dLayer(Matrix(random, 25, 20), Floats(random, 20), 1, new ConvolutionGeometry(5), Activation.Relu)], new ModelMetadata());

    private static Model Conv2(Random random) => new(new TensorShape(12, 12, 20),
        [new FactorizedConv2dLayer(Matrix(random, 500, 12), Matrix(random, 12, 50), Floats(random, 50), 20, new ConvolutionGeometry(5), Activation.Relu,
            FactorizationMethod.Cur)], new ModelMetadata());

    private static float[] Floats(Random random, int count) => Enumerable.Range(0, count).Select(_ => random.NextSingle() - 0.5f).ToArray();

    private static PackedMatrix Matrix(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(Floats(random, rows * columns), rows, columns).Quantize();
}
