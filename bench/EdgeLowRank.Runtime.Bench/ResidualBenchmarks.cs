using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// The residual Add (format 1.6) on a ResNet basic block's activation, 14×14×16, for one image and a batch of 64: the
/// vector kernel (ReLU fused) against its scalar reference and against TensorPrimitives' Add then Max (two passes over the
/// memory); and what the Add costs a whole block through a session (conv 3×3 + ReLU, conv 3×3, Add of the block's input,
/// ReLU), against the same two convolutions without it. The block follows a ReLU layer, as blocks follow a stem: its input is
/// then an activation of the arena, which the plan holds in a buffer of its own (the model's input needs none), and the
/// plan without the Add needs no held buffer. Then a downsampling block (format 1.7) as torchvision's BasicBlock runs it:
/// conv 3×3 stride 2 to 32 channels + ReLU, conv 3×3, a Branch back to the block's input, its 1×1 stride-2 projection,
/// the Add and a ReLU, against the same main path without the shortcut: what the projection and its Add cost.
/// </summary>
[MedianColumn]
public class ResidualBenchmarks
{
    private const int Side = 14, Channels = 16;
    private float[] _x = null!, _a = null!, _y = null!, _images = null!, _outputs = null!, _downsampledOutputs = null!;
    private InferenceSession _block = null!, _plain = null!, _downsampling = null!, _mainPath = null!;

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        int length = Batch * Side * Side * Channels;
        _x = Enumerable.Range(0, length).Select(_ => 4 * random.NextSingle() - 2).ToArray();
        _a = Enumerable.Range(0, length).Select(_ => 4 * random.NextSingle() - 2).ToArray();
        _y = new float[length];
        _images = (float[])_x.Clone();
        _outputs = new float[length];
        var shape = new TensorShape(Side, Side, Channels);
        Layer first = Convolution(random, Activation.Relu), second = Convolution(random, Activation.None);
        var options = new SessionOptions { MaxBatchSize = Batch };
        _block = new InferenceSession(new Model(shape, [new ReluLayer(), first, second, new AddLayer(1), new ReluLayer()], new ModelMetadata()), options, ownsModel: true);
        _plain = new InferenceSession(new Model(shape, [new ReluLayer(), first, second, new ReluLayer()], new ModelMetadata()), options, ownsModel: true);
        Layer down = Convolution(random, Channels, 2 * Channels, 3, 2, Activation.Relu), next = Convolution(random, 2 * Channels, 2 * Channels, 3, 1, Activation.None);
        Layer projection = Convolution(random, Channels, 2 * Channels, 1, 2, Activation.None);
        _downsampling = new InferenceSession(new Model(shape,
            [new ReluLayer(), down, next, new BranchLayer(1), projection, new AddLayer(3), new ReluLayer()], new ModelMetadata()), options, ownsModel: true);
        _mainPath = new InferenceSession(new Model(shape, [new ReluLayer(), down, next, new ReluLayer()], new ModelMetadata()), options, ownsModel: true);
        _downsampledOutputs = new float[Batch * _downsampling.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _block.Dispose();
        _plain.Dispose();
        _downsampling.Dispose();
        _mainPath.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void AddRelu() => AddKernel.Run(_x, _a, _y, relu: true);

    [Benchmark]
    public void AddReluScalarReference() => AddKernel.Reference(_x, _a, _y, relu: true);

    [Benchmark]
    public void AddReluTensorPrimitives()
    {
        TensorPrimitives.Add(_x, _a, _y);
        TensorPrimitives.Max(_y, 0f, _y);
    }

    [Benchmark]
    public void BasicBlock() => _block.Run(_images, _outputs, Batch);

    [Benchmark]
    public void BasicBlockWithoutTheAdd() => _plain.Run(_images, _outputs, Batch);

    [Benchmark]
    public void DownsamplingBlock() => _downsampling.Run(_images, _downsampledOutputs, Batch);

    [Benchmark]
    public void DownsamplingBlockWithoutTheShortcut() => _mainPath.Run(_images, _downsampledOutputs, Batch);

    private static Conv2dLayer Convolution(Random random, Activation activation) => Convolution(random, Channels, Channels, 3, 1, activation);

    /// <summary>A k×k convolution, padded to keep the size at stride 1 (k = 3: padding 1), Kaiming-uniform weights, zero bias.</summary>
    private static Conv2dLayer Convolution(Random random, int inputs, int outputs, int kernel, int stride, Activation activation)
    {
        int rows = kernel * kernel * inputs;
        float bound = MathF.Sqrt(6f / rows);
        float[] weights = Enumerable.Range(0, rows * outputs).Select(_ => bound * (2 * random.NextSingle() - 1)).ToArray();
        return new Conv2dLayer(PackedMatrix.FromRowMajor(weights, rows, outputs), new float[outputs], inputs, new ConvolutionGeometry(kernel, stride, kernel / 2), activation);
    }
}
