using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

public class ConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        // height, width, c_in, c_out, kernel, stride, padding top, left, bottom, right
        { 28, 28, 1, 20, 5, 1, 0, 0, 0, 0 },  // LeNet-5 conv1
        { 12, 12, 20, 50, 5, 1, 0, 0, 0, 0 }, // LeNet-5 conv2
        { 7, 9, 3, 17, 3, 2, 1, 1, 1, 1 },    // odd sides, stride and padding: windows hang over every edge
        { 5, 5, 33, 1, 1, 1, 0, 0, 0, 0 },    // pointwise: the batch is the GEMM's input
        { 4, 6, 2, 7, 4, 3, 2, 2, 2, 2 },
        { 1, 1, 5, 3, 1, 1, 0, 0, 0, 0 },
        { 5, 5, 2, 3, 5, 1, 0, 0, 0, 0 },     // one window: a single row of runs
        { 9, 3, 2, 5, 3, 1, 0, 0, 0, 0 },     // output rows of one pixel: every block a group's tail
        { 6, 20, 4, 9, 3, 1, 1, 1, 1, 1 },    // output rows longer than any block, padded
        { 7, 7, 3, 5, 2, 3, 0, 0, 0, 0 },     // stride beyond the kernel: pixels no window reads
        { 5, 5, 4, 3, 1, 2, 0, 0, 0, 0 },     // 1×1 with stride 2: one run a row, rows apart
        { 1, 1, 4, 3, 1, 2, 0, 0, 0, 0 },     // the same on one pixel: the GEMV
        { 20, 20, 3, 40, 3, 1, 1, 1, 1, 1 },  // K = 27: chunks of three output rows through every panel, a partial panel
        { 10, 10, 1, 8, 3, 1, 1, 1, 1, 1 },   // a grayscale stem: windows of runs of three
        { 6, 6, 3, 5, 1, 1, 0, 0, 0, 0 },     // pointwise over three channels: runs of three
        { 4, 6, 8, 12, 1, 1, 0, 0, 0, 0 },    // pointwise over eight channels: an integer convolution's levels are its rows
        { 8, 8, 3, 5, 3, 2, 0, 0, 1, 1 },     // TensorFlow's SAME at stride 2 over an even side: the last row and column padded
        { 20, 14, 3, 40, 3, 2, 0, 0, 1, 1 },  // the same through every panel, a partial panel, a non-square image
        { 7, 10, 2, 6, 4, 1, 1, 1, 2, 2 },    // PyTorch's padding='same' with an even kernel: one more below and right
        { 6, 9, 3, 4, 3, 1, 0, 1, 1, 0 },     // top and left unlike: rows and columns padded on opposite sides
        { 9, 5, 2, 3, 3, 1, 2, 0, 0, 2 },     // two rows above, two columns right, none below or left
        { 10, 10, 1, 8, 3, 2, 1, 0, 0, 1 },   // a grayscale stem padded on its top and right edges only
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_convolution_matches_the_direct_loop_on_every_path(int height, int width, int cin, int cout, int k, int stride,
        int top, int left, int bottom, int right)
    {
        var random = new Random(height * 31 + cout);
        var geometry = new ConvolutionGeometry(k, stride, new WindowPadding(top, left, bottom, right));
        var layer = new Conv2dLayer(TestModels.RandomMatrix(random, k * k * cin, cout), TestModels.RandomFloats(random, cout), cin, geometry, Activation.Relu);
        var model = new Model(new TensorShape(height, width, cin), [layer], new ModelMetadata());
        const int batch = 3;
        float[] input = TestModels.RandomFloats(random, batch * height * width * cin);
        int outLength = model.OutputShape.ElementCount;
        var expected = new float[batch * outLength];
        for (int b = 0; b < batch; b++)
            Conv2dReference.Run(input.AsSpan(b * height * width * cin, height * width * cin), height, width, cin, layer.Weights, layer.Bias.Span,
                geometry, Activation.Relu, expected.AsSpan(b * outLength, outLength));

        foreach (KernelPath path in new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Vector512 })
        {
            if (!KernelPaths.IsSupported(path)) continue;
            using var session = new InferenceSession(model, new SessionOptions { KernelPath = path });
            var output = new float[batch * outLength];
            session.Run(input, output, batch);
            AssertClose(expected, output, 2e-6f * (k * k * cin));
        }
    }

    [Fact]
    public void A_factorized_convolution_equals_the_convolution_by_the_product_of_its_factors()
    {
        var random = new Random(4);
        const int cin = 3, cout = 11, rank = 4, k = 3;
        var geometry = new ConvolutionGeometry(k, 1, 1);
        float[] first = TestModels.RandomFloats(random, k * k * cin * rank);
        float[] second = TestModels.RandomFloats(random, rank * cout);
        float[] bias = TestModels.RandomFloats(random, cout);
        var product = new float[k * k * cin * cout];
        for (int i = 0; i < k * k * cin; i++)
            for (int o = 0; o < cout; o++)
                for (int r = 0; r < rank; r++)
                    product[i * cout + o] += first[i * rank + r] * second[r * cout + o];
        var factorized = new FactorizedConv2dLayer(PackedMatrix.FromRowMajor(first, k * k * cin, rank), PackedMatrix.FromRowMajor(second, rank, cout),
            bias, cin, geometry, Activation.None, FactorizationMethod.Svd);
        var dense = new Conv2dLayer(PackedMatrix.FromRowMajor(product, k * k * cin, cout), bias, cin, geometry);
        var shape = new TensorShape(6, 5, cin);
        float[] input = TestModels.RandomFloats(random, 2 * shape.ElementCount);

        float[] a = RunModel(new Model(shape, [factorized, new ReluLayer()], new ModelMetadata()), input, 2);
        float[] b = RunModel(new Model(shape, [dense, new ReluLayer()], new ModelMetadata()), input, 2);

        AssertClose(b, a, 1e-4f);
        Assert.Equal(rank * (k * k * cin + cout) * 30L, factorized.MultiplyAccumulates(shape));
    }

    [Theory]
    [InlineData(24, 24, 20, 2, 2)]
    [InlineData(8, 8, 50, 2, 2)]
    [InlineData(7, 5, 3, 3, 2)]
    [InlineData(9, 9, 1, 3, 3)]
    public void Max_pooling_matches_the_scalar_reference(int height, int width, int channels, int size, int stride)
    {
        var random = new Random(channels);
        var layer = new MaxPool2dLayer(size, stride);
        var shape = new TensorShape(height, width, channels);
        float[] input = TestModels.RandomFloats(random, shape.ElementCount);
        int outLength = layer.GetOutputShape(shape).ElementCount;
        var expected = new float[outLength];
        MaxPoolKernel.Reference(input, height, width, channels, layer.Geometry, expected);

        float[] actual = RunModel(new Model(shape, [layer], new ModelMetadata()), input, 1);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void LeNet5_runs_without_allocating_and_reports_its_shapes()
    {
        var random = new Random(2);
        Layer[] layers =
        [
            new Conv2dLayer(TestModels.RandomMatrix(random, 25, 20), TestModels.RandomFloats(random, 20), 1, new ConvolutionGeometry(5)),
            new MaxPool2dLayer(2, 2),
            new FactorizedConv2dLayer(TestModels.RandomMatrix(random, 500, 12), TestModels.RandomMatrix(random, 12, 50), TestModels.RandomFloats(random, 50),
                20, new ConvolutionGeometry(5), Activation.None, FactorizationMethod.Cur),
            new MaxPool2dLayer(2, 2),
            new FlattenLayer(),
            new DenseLayer(TestModels.RandomMatrix(random, 800, 500), TestModels.RandomFloats(random, 500), Activation.Relu),
            new DenseLayer(TestModels.RandomMatrix(random, 500, 10), TestModels.RandomFloats(random, 10)),
        ];
        using var model = new Model(new TensorShape(28, 28, 1), layers, new ModelMetadata());
        using var session = new InferenceSession(model);
        float[] input = TestModels.RandomFloats(random, 4 * 784);
        var output = new float[40];

        long allocated = AllocationProbe.RecurringBytes(() =>
        {
            session.Run(input, output, 4);
            session.Run(input.AsSpan(0, 784), output.AsSpan(0, 10));
        }, warmUpCalls: 50);

        Assert.Equal(0, allocated);
        Assert.Equal("4×4×50", model.OutputShapeOf(3).ToString());
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
    }

    private static float[] RunModel(Model model, float[] input, int batch)
    {
        using var session = new InferenceSession(model);
        var output = new float[batch * session.OutputLength];
        session.Run(input, output, batch);
        return output;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance * MathF.Max(1f, MathF.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
