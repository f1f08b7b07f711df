using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// One depthwise 3×3 convolution (padding 1, bias, ReLU fused) at the shapes of MobileNet-style blocks on 28×28 inputs,
/// through a one-layer <see cref="InferenceSession"/>: the depthwise kernel, its scalar reference (the
/// <see cref="KernelPath.Scalar"/> path), and the same convolution as a dense Conv2d whose (9·c) × c weight matrix is zero
/// off each channel's own taps — how a runtime without a depthwise kernel runs ONNX's Conv with group = c, and how
/// this one would have had to before format 1.5.
/// </summary>
[MedianColumn]
public class DepthwiseBenchmarks
{
    private InferenceSession _depthwise = null!, _reference = null!, _dense = null!;
    private Model _depthwiseModel = null!, _denseModel = null!;
    private float[] _input = null!, _output = null!;

    /// <summary>height×width×channels / stride. With fewer channels than Vector&lt;float&gt; has lanes (3 and 6 with AVX2) the
    /// session runs the depthwise layer as the dense convolution itself (ExecutorFactory.CreateDepthwise), so Depthwise and
    /// AsDenseConvolution time the same code there, and the scalar path runs the dense convolution's reference.</summary>
    [Params("28x28x3/1", "28x28x6/1", "28x28x16/1", "28x28x16/2", "14x14x32/1", "7x7x64/1")]
    public string Shape { get; set; } = "";

    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('/', 'x');
        var input = new TensorShape(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
        int channels = input[2];
        var geometry = new ConvolutionGeometry(3, int.Parse(parts[3]), 1);
        var random = new Random(1);
        float[] filters = Enumerable.Range(0, 9 * channels).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] bias = Enumerable.Range(0, channels).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var depthwise = new DepthwiseConv2dLayer(filters, bias, channels, geometry, Activation.Relu);
        _depthwiseModel = new Model(input, [depthwise], new ModelMetadata());
        _denseModel = new Model(input, [new Conv2dLayer(depthwise.ToDenseWeights(), bias, channels, geometry, Activation.Relu)], new ModelMetadata());
        var options = new SessionOptions { MaxBatchSize = Batch };
        _depthwise = new InferenceSession(_depthwiseModel, options);
        _reference = new InferenceSession(_depthwiseModel, options with { KernelPath = KernelPath.Scalar });
        _dense = new InferenceSession(_denseModel, options);
        _input = Enumerable.Range(0, Batch * input.ElementCount).Select(_ => random.NextSingle()).ToArray();
        _output = new float[Batch * _depthwise.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _depthwise.Dispose();
        _reference.Dispose();
        _dense.Dispose();
        _depthwiseModel.Dispose();
        _denseModel.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Depthwise() => _depthwise.Run(_input, _output, Batch);

    [Benchmark]
    public void DepthwiseScalarReference() => _reference.Run(_input, _output, Batch);

    [Benchmark]
    public void AsDenseConvolution() => _dense.Run(_input, _output, Batch);
}
