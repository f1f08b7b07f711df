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
        var random = new Random(1);
        (TensorShape input, DepthwiseConv2dLayer depthwise) = Layer(Shape, random);
        _depthwiseModel = new Model(input, [depthwise], new ModelMetadata());
        var dense = new Conv2dLayer(depthwise.ToDenseWeights(), depthwise.Bias, depthwise.Channels, depthwise.Geometry, Activation.Relu);
        _denseModel = new Model(input, [dense], new ModelMetadata());
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

    /// <summary>The image and the 3×3 layer (padding 1, bias, ReLU fused) of a "height x width x channels / stride" shape,
    /// its weights in [-0.5, 0.5).</summary>
    internal static (TensorShape Input, DepthwiseConv2dLayer Layer) Layer(string shape, Random random)
    {
        string[] parts = shape.Split('/', 'x');
        var input = new TensorShape(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
        int channels = input[2];
        var geometry = new ConvolutionGeometry(3, int.Parse(parts[3]), 1);
        float[] filters = Enumerable.Range(0, 9 * channels).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] bias = Enumerable.Range(0, channels).Select(_ => random.NextSingle() - 0.5f).ToArray();
        return (input, new DepthwiseConv2dLayer(filters, bias, channels, geometry, Activation.Relu));
    }
}

/// <summary>
/// The depthwise layers of torchvision's MobileNetV2 (224×224 input) at batch 1, through a one-layer session: the
/// kernel alone, at widths and channel counts the 28×28 shapes of <see cref="DepthwiseBenchmarks"/> do not reach (its
/// scalar and dense comparisons would only take minutes here).
/// </summary>
[MedianColumn]
public class MobileNetV2DepthwiseBenchmarks
{
    private InferenceSession _session = null!;
    private Model _model = null!;
    private float[] _input = null!, _output = null!;

    /// <summary>height×width×channels / stride: the first block's layer, the first stride-2 one, a 56×56 stride-1 one and
    /// a 14×14 one of the widest blocks.</summary>
    [Params("112x112x32/1", "112x112x96/2", "56x56x144/1", "14x14x576/1")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        (TensorShape input, DepthwiseConv2dLayer depthwise) = DepthwiseBenchmarks.Layer(Shape, random);
        _model = new Model(input, [depthwise], new ModelMetadata());
        _session = new InferenceSession(_model, new SessionOptions { MaxBatchSize = 1 });
        _input = Enumerable.Range(0, input.ElementCount).Select(_ => random.NextSingle()).ToArray();
        _output = new float[_session.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _model.Dispose();
    }

    [Benchmark]
    public void Depthwise() => _session.Run(_input, _output, 1);
}
