using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// A 1×1, stride-1, unpadded depthwise convolution (bias, ReLU fused): <c>elr import-onnx</c>'s input normalization on
/// MNIST- and ImageNet-size images, which a session runs as a per-channel affine map (ChannelAffineExecutor), against what it
/// ran before: the dense convolution below <see cref="System.Numerics.Vector{T}.Count"/> channels, the depthwise kernel
/// from that count (<see cref="DepthwiseKernel"/>, which below it runs its per-pixel reference), and the scalar path.
/// </summary>
[MedianColumn]
public class OneTapDepthwiseBenchmarks
{
    private InferenceSession _affine = null!, _reference = null!, _dense = null!;
    private Model _model = null!, _denseModel = null!;
    private DepthwiseConv2dLayer _layer = null!;
    private TensorShape _input;
    private float[] _images = null!, _output = null!;

    /// <summary>height×width×channels.</summary>
    [Params("28x28x1", "28x28x3", "28x28x16", "224x224x3")]
    public string Shape { get; set; } = "";

    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        int[] sides = Shape.Split('x').Select(int.Parse).ToArray();
        _input = new TensorShape(sides[0], sides[1], sides[2]);
        int channels = sides[2];
        float[] weights = Enumerable.Range(0, channels).Select(_ => random.NextSingle() + 0.5f).ToArray();
        float[] bias = Enumerable.Range(0, channels).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _layer = new DepthwiseConv2dLayer(weights, bias, channels, new ConvolutionGeometry(1), Activation.Relu);
        _model = new Model(_input, [_layer], new ModelMetadata());
        _denseModel = new Model(_input, [new Conv2dLayer(_layer.ToDenseWeights(), bias, channels, _layer.Geometry, Activation.Relu)], new ModelMetadata());
        var options = new SessionOptions { MaxBatchSize = Batch };
        _affine = new InferenceSession(_model, options);
        _reference = new InferenceSession(_model, options with { KernelPath = KernelPath.Scalar });
        _dense = new InferenceSession(_denseModel, options);
        _images = Enumerable.Range(0, Batch * _input.ElementCount).Select(_ => random.NextSingle()).ToArray();
        _output = new float[_images.Length];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _affine.Dispose();
        _reference.Dispose();
        _dense.Dispose();
        _model.Dispose();
        _denseModel.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Affine() => _affine.Run(_images, _output, Batch);

    [Benchmark]
    public void ScalarReference() => _reference.Run(_images, _output, Batch);

    [Benchmark]
    public void AsDenseConvolution() => _dense.Run(_images, _output, Batch);

    /// <summary>The general depthwise kernel image by image, as DepthwiseConv2dExecutor ran it.</summary>
    [Benchmark]
    public void DepthwiseKernel()
    {
        int length = _input.ElementCount;
        for (int b = 0; b < Batch; b++)
            DepthwiseConvKernel.Run(_images.AsSpan(b * length, length), _input[0], _input[1], _input[2], _layer.Filters.Span, _layer.Bias.Span,
                _layer.Geometry, Activation.Relu, _output.AsSpan(b * length, length));
    }
}
