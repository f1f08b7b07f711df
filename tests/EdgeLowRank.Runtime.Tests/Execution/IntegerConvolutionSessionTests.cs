using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Kernels;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Convolutions that quantize their inputs (format 1.11), in a session: on every path and thread count each image's
/// outputs are the bits of the definition written out as loops over the image (<see cref="IntegerConvolutionOracle"/>: one scale and zero point
/// per image, padding at the zero point, exact sums), whatever the batch; a factorized one quantizes its intermediate image
/// again; a split across threads, by rows, changes nothing; a run allocates nothing.</summary>
public sealed class IntegerConvolutionSessionTests
{
    private static readonly KernelPath[] EveryPath = [KernelPath.Scalar, .. IntegerDenseKernelTests.SimdPaths];

    [Theory, MemberData(nameof(ConvolutionTests.Shapes), MemberType = typeof(ConvolutionTests))]
    public void EveryPathGivesTheDefinitionsBits(int height, int width, int cin, int cout, int k, int stride, int top, int left, int bottom, int right)
    {
        var random = new Random(height * 37 + cout);
        var layer = new Conv2dLayer(TestModels.RandomMatrix(random, k * k * cin, cout).Quantize(), TestModels.RandomFloats(random, cout), cin,
            new ConvolutionGeometry(k, stride, new WindowPadding(top, left, bottom, right)), Activation.Relu, InputQuantization.Dynamic);
        var model = new Model(new TensorShape(height, width, cin), [layer], new ModelMetadata());
        const int batch = 3;
        // Images of different ranges (one all negative, one all positive), so that each has a scale and zero point of its own.
        float[] input = [.. TestModels.RandomFloats(random, height * width * cin), .. TestModels.RandomFloats(random, height * width * cin, 3f).Select(v => -Math.Abs(v)),
            .. TestModels.RandomFloats(random, height * width * cin, 0.2f).Select(v => Math.Abs(v) + 0.1f)];
        float[] expected = PerImage(model, input, batch, (image, output) => Oracle(image, model.InputShape, layer, output));
        foreach (KernelPath path in EveryPath)
            foreach (int threads in (int[])[1, 2])
                Assert.Equal(expected, Run(model, input, batch, new SessionOptions { KernelPath = path, Threads = threads }));
    }

    [Fact]
    public void AFactorizedConvolutionQuantizesItsIntermediateImageAgain()
    {
        Model model = Factorized(out FactorizedConv2dLayer layer);
        float[] input = TestModels.RandomFloats(new Random(3), 2 * model.InputShape.ElementCount, 2f);
        TensorShape projected = new(model.OutputShape[0], model.OutputShape[1], layer.Rank);
        float[] expected = PerImage(model, input, 2, (image, output) =>
        {
            var intermediate = new float[projected.ElementCount];
            IntegerConvolutionOracle.Run(image, model.InputShape, layer.First, [], layer.Geometry, FusedActivation.None, intermediate);
            IntegerConvolutionOracle.Run(intermediate, projected, layer.Second, layer.Bias.Span, new ConvolutionGeometry(1), FusedActivation.Relu, output);
        });
        foreach (KernelPath path in EveryPath)
            foreach (int threads in (int[])[1, 2])
                Assert.Equal(expected, Run(model, input, 2, new SessionOptions { KernelPath = path, Threads = threads }));
    }

    [Fact]
    public void AnImageOfZerosGivesTheBiasAndOneWithNaNGivesNaNAlone()
    {
        var random = new Random(9);
        var layer = new Conv2dLayer(TestModels.RandomMatrix(random, 3 * 3 * 2, 5).Quantize(), TestModels.RandomFloats(random, 5), 2,
            new ConvolutionGeometry(3, 1, 1), Activation.None, InputQuantization.Dynamic);
        var model = new Model(new TensorShape(4, 4, 2), [layer], new ModelMetadata());
        int length = model.InputShape.ElementCount, outputs = model.OutputShape.ElementCount;
        float[] input = [.. new float[length], .. TestModels.RandomFloats(random, length)];
        input[length + 7] = float.NaN;
        foreach (KernelPath path in EveryPath)
        {
            float[] output = Run(model, input, 2, new SessionOptions { KernelPath = path });
            for (int i = 0; i < outputs; i++) Assert.Equal(layer.Bias.Span[i % 5], output[i]);
            Assert.All(output[outputs..], v => Assert.True(float.IsNaN(v)));
        }
    }

    [Fact]
    public void TheOutputsStayNearTheWeightOnlyConvolutions()
    {
        Model dynamic = Factorized(out FactorizedConv2dLayer layer);
        var weightOnly = new Model(dynamic.InputShape, [LayerEdits.With(layer, InputQuantization.None)], dynamic.Metadata);
        float[] input = TestModels.RandomFloats(new Random(4), dynamic.InputShape.ElementCount);
        float[] integer = Run(dynamic, input, 1, new SessionOptions());
        float[] floats = Run(weightOnly, input, 1, new SessionOptions());
        Assert.NotEqual(floats, integer);
        double largest = floats.Max(Math.Abs);
        for (int i = 0; i < floats.Length; i++) Assert.Equal(floats[i], integer[i], 0.05 * largest);
    }

    /// <summary>28×28×3 → 5×5 → 20 channels: 784 output pixels of 75 inputs, 1.2 million multiply-accumulates, split by rows on
    /// two and three threads.</summary>
    [Theory]
    [InlineData(KernelPath.Auto)]
    [InlineData(KernelPath.Scalar)]
    public void AConvolutionSplitByRowsComputesWhatOneThreadComputes(KernelPath path)
    {
        var random = new Random(21);
        var layer = new Conv2dLayer(TestModels.RandomMatrix(random, 75, 20).Quantize(), TestModels.RandomFloats(random, 20), 3,
            new ConvolutionGeometry(5, 1, 2), Activation.Relu, InputQuantization.Dynamic);
        var model = new Model(new TensorShape(28, 28, 3), [layer], new ModelMetadata());
        Assert.Equal((2, true), SplitKernelRunner.ProductSplitFor(2, 784, 784, 75, 20));
        float[] input = TestModels.RandomFloats(random, 2 * model.InputShape.ElementCount);
        float[] alone = Run(model, input, 2, new SessionOptions { KernelPath = path });
        foreach (int threads in (int[])[2, 3])
            Assert.Equal(alone, Run(model, input, 2, new SessionOptions { KernelPath = path, Threads = threads }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ARunAllocatesNothing(int batch)
    {
        using var session = new InferenceSession(Factorized(out _));
        float[] input = TestModels.RandomFloats(new Random(8), batch * session.InputLength);
        var output = new float[batch * session.OutputLength];
        Assert.Equal(0, AllocationProbe.RecurringBytes(() => session.Run(input, output, batch)));
    }

    /// <summary>9×11×5 → 3×3, stride 1, padding 1, to rank 7 → 18 channels (ReLU): odd depths (45 and 7) and a partial panel.</summary>
    private static Model Factorized(out FactorizedConv2dLayer layer)
    {
        var random = new Random(17);
        layer = new FactorizedConv2dLayer(TestModels.RandomMatrix(random, 45, 7).Quantize(), TestModels.RandomMatrix(random, 7, 18).Quantize(),
            TestModels.RandomFloats(random, 18), 5, new ConvolutionGeometry(3, 1, 1), Activation.Relu, FactorizationMethod.Svd, InputQuantization.Dynamic);
        return new Model(new TensorShape(9, 11, 5), [layer], new ModelMetadata());
    }

    private static void Oracle(ReadOnlySpan<float> image, TensorShape shape, Conv2dLayer layer, Span<float> output) =>
        IntegerConvolutionOracle.Run(image, shape, layer.Weights, layer.Bias.Span, layer.Geometry, FusedActivation.Of(layer.Activation), output);

    private delegate void ImageOracle(ReadOnlySpan<float> image, Span<float> output);

    private static float[] PerImage(Model model, float[] input, int batch, ImageOracle oracle)
    {
        int inLength = model.InputShape.ElementCount, outLength = model.OutputShape.ElementCount;
        var expected = new float[batch * outLength];
        for (int b = 0; b < batch; b++) oracle(input.AsSpan(b * inLength, inLength), expected.AsSpan(b * outLength, outLength));
        return expected;
    }

    private static float[] Run(Model model, float[] input, int batch, SessionOptions options)
    {
        using var session = new InferenceSession(model, options);
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }
}
