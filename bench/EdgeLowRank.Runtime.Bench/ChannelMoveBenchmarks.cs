using BenchmarkDotNet.Attributes;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>
/// A ShuffleNet v2 unit's channel moves on one image, on one and two threads: a 1×1 convolution (so that a session of two
/// threads splits layers at one image), then a ChannelSlice of half the channels, a Concat with the unit's input and a
/// ChannelShuffle of two groups. The moves' cost is the difference between <see cref="Moves"/> and <see cref="ConvolutionOnly"/>.
/// </summary>
[MedianColumn]
public class ChannelMoveBenchmarks
{
    private InferenceSession _moves = null!, _convolution = null!;
    private float[] _x = null!, _y = null!, _yConvolution = null!;

    /// <summary>Height = width, then channels: ShuffleNet v2 x1.0's second stage (28×28×116) and a larger image (56×56×116).</summary>
    [Params(28, 56)]
    public int Size { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int channels = 116;
        var random = new Random(1);
        float[] Floats(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var shape = new TensorShape(Size, Size, channels);
        var convolution = new Conv2dLayer(PackedMatrix.FromRowMajor(Floats(channels * channels), channels, channels), Floats(channels), channels,
            new ConvolutionGeometry(1));
        var options = new SessionOptions { Threads = Threads };
        _moves = new InferenceSession(new Model(shape,
            [convolution, new ChannelSliceLayer(channels / 2, channels / 2), new ConcatLayer(0, inputFirst: true), new ChannelShuffleLayer(2)],
            new ModelMetadata()), options);
        _convolution = new InferenceSession(new Model(shape, [convolution], new ModelMetadata()), options);
        _x = Floats(shape.ElementCount);
        _y = new float[_moves.OutputLength];
        _yConvolution = new float[_convolution.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _moves.Dispose();
        _convolution.Dispose();
    }

    [Benchmark]
    public void Moves() => _moves.Run(_x, _y);

    [Benchmark]
    public void ConvolutionOnly() => _convolution.Run(_x, _yConvolution);
}
