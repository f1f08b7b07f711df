using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>Every layer's backward pass against finite differences (see <see cref="GradientCheck"/>).</summary>
public sealed class LayerGradientTests
{
    [Theory]
    [InlineData(7, 5, 3, true)]
    [InlineData(20, 17, 1, true)]
    [InlineData(33, 18, 13, false)]
    public void Dense(int inputs, int outputs, int batch, bool bias) =>
        GradientCheck.Verify(new Dense("fc", inputs, outputs, bias), new TensorShape(inputs), batch);

    /// <summary>The padding is one number for every side, or top, left, bottom and right (<see cref="SidePads"/>).</summary>
    [Theory]
    [InlineData(6, 5, 3, 4, 3, 1, 0)]
    [InlineData(7, 7, 2, 5, 3, 2, 1)]
    [InlineData(5, 4, 3, 6, 1, 1, 0)]
    [InlineData(6, 6, 1, 3, 5, 1, 2)]
    [InlineData(6, 6, 2, 3, 3, 2, 0, 0, 1, 1)] // TensorFlow's SAME with stride 2 over an even side
    [InlineData(5, 6, 2, 3, 4, 1, 1, 1, 2, 2)] // PyTorch's padding='same' with an even kernel
    [InlineData(6, 5, 2, 4, 3, 1, 0, 1, 1, 0)] // the left column padded, not the top row: a window's two offsets differ
    public void Conv2d(int height, int width, int channels, int outputs, int kernel, int stride, params int[] pads) =>
        GradientCheck.Verify(new Conv2d("conv", channels, outputs, new ConvolutionGeometry(kernel, stride, SidePads.Of(pads))),
            new TensorShape(height, width, channels), batch: 2);

    [Fact]
    public void Conv2dWhoseWeightGradientSpansSeveralBlocks()
    {
        // 10×10 output pixels × 8 images = 800 patch rows: two blocks of the weight-gradient GEMM.
        GradientCheck.Verify(new Conv2d("conv", 2, 6, new ConvolutionGeometry(3)), new TensorShape(12, 12, 2), batch: 8, threads: 2);
    }

    /// <summary>Channels 1, 3 and (with AVX2) 5 run the runtime kernel's scalar reference, 9 and 17 its
    /// <c>Vector&lt;float&gt;</c> loop (8 lanes with AVX2) with an overlapping tail; strides 1 and 2 and paddings 0 and 1, so
    /// windows are clipped at every border, and paddings that differ per side (<see cref="SidePads"/>), the 4×12 image's
    /// wide enough for the loop's 3×3 interior blocks.</summary>
    [Theory]
    [InlineData(5, 6, 1, 3, 1, true, 0)]
    [InlineData(6, 5, 3, 3, 2, true, 1)]
    [InlineData(7, 7, 5, 3, 2, false, 0)]
    [InlineData(5, 4, 9, 3, 1, false, 1)]
    [InlineData(6, 7, 9, 3, 2, true, 1)]
    [InlineData(4, 5, 17, 2, 1, true, 1)]
    [InlineData(6, 6, 9, 3, 2, true, 0, 0, 1, 1)] // TensorFlow's SAME with stride 2 over an even side
    [InlineData(5, 6, 3, 4, 1, false, 1, 1, 2, 2)] // PyTorch's padding='same' with an even kernel
    [InlineData(4, 12, 9, 3, 1, true, 0, 1, 1, 0)]
    public void DepthwiseConv2d(int height, int width, int channels, int kernel, int stride, bool bias, params int[] pads) =>
        GradientCheck.Verify(new DepthwiseConv2d("dw", channels, new ConvolutionGeometry(kernel, stride, SidePads.Of(pads)), bias),
            new TensorShape(height, width, channels), batch: 2);

    [Fact]
    public void DepthwiseConv2dSumsItsFilterGradientOverImagesTheSameWayOnAnyThreadCount()
    {
        float[] FilterGradient(int threads)
        {
            var layer = new DepthwiseConv2d("dw", 6, new ConvolutionGeometry(3, 2, 1));
            TensorShape output = layer.Bind(new TensorShape(7, 7, 6), maxBatch: 5);
            layer.Initialize(new SeededRandom(2));
            var random = new SeededRandom(3);
            float[] x = GradientCheck.Uniform(random, 5 * 7 * 7 * 6, 1), y = new float[5 * output.ElementCount];
            float[] dy = GradientCheck.Uniform(random, y.Length, 1), dx = new float[x.Length];
            layer.Forward(x, y, 5, new ComputeThreads(threads));
            layer.Backward(x, y, dy, dx, 5, new ComputeThreads(threads));
            return [.. layer.Filters.Gradient, .. layer.Bias!.Gradient, .. dx];
        }
        Assert.Equal(FilterGradient(1), FilterGradient(2));
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 0)]
    [InlineData(3, 2, 1)] // ResNet's stem: windows hang over the edges, only their inside pixels count
    [InlineData(2, 1, 1)]
    [InlineData(3, 2, 0, 0, 1, 1)] // Keras' SAME pooling over the even side
    [InlineData(4, 1, 1, 1, 2, 2)]
    [InlineData(3, 2, 0, 1, 1, 0)]
    public void MaxPool2d(int size, int stride, params int[] pads)
    {
        var shape = new TensorShape(6, 7, 3);
        float[] input = GradientCheck.WellSeparated(new SeededRandom(3), 2 * shape.ElementCount);
        GradientCheck.Verify(new MaxPool2d("pool", size, stride, SidePads.Of(pads)), shape, batch: 2, input);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)] // overlapping windows: a pixel collects from several
    [InlineData(6, 6)] // global over the first 6×6 pixels
    public void AvgPool2d(int size, int stride) =>
        GradientCheck.Verify(new AvgPool2d("pool", size, stride), new TensorShape(6, 7, 3), batch: 2);

    [Fact]
    public void Tanh() => GradientCheck.Verify(new Tanh("tanh"), new TensorShape(40), batch: 3);

    [Fact]
    public void Sigmoid() => GradientCheck.Verify(new Sigmoid("sigmoid"), new TensorShape(3, 4, 5), batch: 2);

    [Fact]
    public void Relu()
    {
        float[] input = GradientCheck.WellSeparated(new SeededRandom(4), 3 * 40);
        GradientCheck.Verify(new Relu("relu"), new TensorShape(40), batch: 3, input);
    }

    [Fact]
    public void Relu6()
    {
        // Values 0.2 apart from −11.9 to 11.9: a quarter above 6, none within a step of 1e-2 of either kink (0 or 6).
        float[] input = GradientCheck.WellSeparated(new SeededRandom(5), 3 * 40).Select(v => v * 4).ToArray();
        GradientCheck.Verify(new Relu6("relu6"), new TensorShape(40), batch: 3, input);
    }

    [Fact]
    public void Relu6PassesNoGradientAtItsKinks()
    {
        // The subgradient 0 at x = 0 and x = 6, as Relu takes at 0; inside the range the gradient passes as it is.
        var layer = new Relu6("relu6");
        layer.Bind(new TensorShape(5), maxBatch: 1);
        float[] x = [-1, 0, 3, 6, 7], y = new float[5], dx = new float[5];
        layer.Forward(x, y, 1, new ComputeThreads(1));
        layer.Backward(x, y, [1, 1, 1, 1, 1], dx, 1, new ComputeThreads(1));
        Assert.Equal([0f, 0f, 3f, 6f, 6f], y);
        Assert.Equal([0f, 0f, 1f, 0f, 0f], dx);
    }

    [Fact]
    public void Flatten() => GradientCheck.Verify(new Flatten("flatten"), new TensorShape(3, 4, 2), batch: 2);

    [Fact]
    public void FactorizedDense() =>
        GradientCheck.Verify(FactorizedLayer.Dense("fc", 12, 3, 9, FactorizationMethod.Svd), new TensorShape(12), batch: 4);

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 0, 0, 1, 1)]
    [InlineData(4, 1, 1, 1, 2, 2)]
    [InlineData(3, 1, 0, 1, 1, 0)]
    public void FactorizedConv(int kernel, int stride, params int[] pads) =>
        GradientCheck.Verify(FactorizedLayer.Conv("conv", 2, 3, 5, new ConvolutionGeometry(kernel, stride, SidePads.Of(pads)), FactorizationMethod.Cur),
            new TensorShape(5, 6, 2), batch: 2);

    [Fact]
    public void SoftmaxCrossEntropyGradient()
    {
        var random = new SeededRandom(5);
        const int batch = 4, classes = 6;
        float[] logits = GradientCheck.Uniform(random, batch * classes, 3);
        byte[] labels = [0, 5, 2, 2];
        float[] gradient = new float[logits.Length];
        SoftmaxCrossEntropy.Compute(logits, labels, classes, gradient);
        GradientCheck.Compare("logits", logits, gradient, () => SoftmaxCrossEntropy.Compute(logits, labels, classes, new float[logits.Length]), random, step: 1e-3f);
    }

    [Fact]
    public void SoftmaxCrossEntropyOfUniformLogitsIsLogOfClassCount()
    {
        double loss = SoftmaxCrossEntropy.Compute(new float[20], new byte[2], 10, new float[20]);
        Assert.Equal(Math.Log(10), loss, 6);
    }

    [Fact]
    public void WholeNetworkThroughTheLoss()
    {
        // conv → pool → flatten → dense → relu → dense → cross-entropy, every parameter checked.
        var network = new Network("small", new TensorShape(8, 8, 1),
        [
            new Conv2d("conv", 1, 3, new ConvolutionGeometry(3)), new MaxPool2d("pool", 2, 2), new Flatten("flatten"),
            new Dense("fc1", 27, 8), new Relu("relu"), new Dense("fc2", 8, 4),
        ], maxBatch: 3);
        network.Initialize(11);
        var random = new SeededRandom(12);
        GradientCheck.VerifyNetwork(network, GradientCheck.Uniform(random, 3 * 64, 1), [1, 3, 0], random);
    }
}
