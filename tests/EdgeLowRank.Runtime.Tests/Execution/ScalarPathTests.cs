using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

public class ScalarPathTests
{
    [Fact]
    public void The_scalar_path_runs_the_scalar_references_of_relu_max_pooling_and_softmax()
    {
        var shape = new TensorShape(6, 5, 67);
        var pool = new MaxPool2dLayer(2, 1);
        using var model = new Model(shape, [new ReluLayer(), pool, new FlattenLayer(), new SoftmaxLayer()], new ModelMetadata());
        using var session = new InferenceSession(model, new SessionOptions { KernelPath = KernelPath.Scalar });
        float[] input = TestModels.RandomFloats(new Random(4), shape.ElementCount, scale: 5f);
        var output = new float[session.OutputLength];

        session.Run(input, output);

        var rectified = new float[input.Length];
        ReluKernel.Reference(input, rectified);
        var expected = new float[output.Length];
        MaxPoolKernel.Reference(rectified, shape[0], shape[1], shape[2], pool.Geometry, expected);
        SoftmaxKernel.Reference(expected, 1, expected.Length, expected);
        // Bit for bit: the vectorized softmax sums and exponentiates in another order and rounding.
        Assert.Equal(expected, output);
    }

    [Fact]
    public void The_scalar_path_runs_the_scalar_references_of_tanh_average_pooling_and_the_sigmoid()
    {
        var shape = new TensorShape(6, 6, 67);
        var pool = new AvgPool2dLayer(3, 3);
        using var model = new Model(shape, [new TanhLayer(), pool, new SigmoidLayer()], new ModelMetadata());
        using var session = new InferenceSession(model, new SessionOptions { KernelPath = KernelPath.Scalar });
        float[] input = TestModels.RandomFloats(new Random(5), shape.ElementCount, scale: 3f);
        var output = new float[session.OutputLength];

        session.Run(input, output);

        var squashed = new float[input.Length];
        TanhKernel.Reference(input, squashed);
        var expected = new float[output.Length];
        AvgPoolKernel.Reference(squashed, shape[0], shape[1], shape[2], pool.Geometry, expected);
        SigmoidKernel.Reference(expected, expected);
        // Bit for bit: the vector tanh and sigmoid round differently from MathF's.
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("lenet5-1998", 1e-6f)]         // the 1.4 kinds; Kaiming-scaled weights keep tanh and the sigmoid off their flat ends
    [InlineData("depthwise-separable", 1e-5f)] // depthwise over 3, 6 (with AVX2 both as dense convolutions) and 12 channels; logits
    [InlineData("residual-blocks", 1e-5f)]     // Adds reading the input, held buffers and a pre-ReLU activation; logits
    [InlineData("inverted-residuals", 1e-5f)]  // ReLU6 clipping at both ends, depthwise over 24 channels, linear bottlenecks; logits
    [InlineData("projection-shortcuts", 1e-5f)] // Branches back to held block inputs and the caller's input, strided 1×1 projections; logits
    [InlineData("fire-modules", 1e-5f)]        // Concats in both orders, of a held squeeze path and of the pooled stem; pooled scores
    [InlineData("shuffle-units", 1e-5f)]       // channel slices and shuffles around Concats, depthwise over 8 channels; logits
    [InlineData("squeeze-excite", 1e-5f)]      // hard swish past both kinks, SiLU, gates scaling held activations; logits
    [InlineData("channel-affine", 1e-5f)]      // 1×1 depthwise over 1, 3 and 11 channels as per-channel affine maps, a fused ReLU6; logits
    public void The_vector_path_computes_what_the_scalar_path_computes_on_the_golden_networks_of_new_kinds(string name, float tolerance)
    {
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model(name));
        using var vector = new InferenceSession(model);
        using var scalar = new InferenceSession(model, new SessionOptions { KernelPath = KernelPath.Scalar });
        const int Batch = 5;
        float[] input = TestModels.RandomFloats(new Random(6), Batch * model.InputShape.ElementCount);
        var fast = new float[Batch * vector.OutputLength];
        var reference = new float[fast.Length];

        vector.Run(input, fast, Batch);
        scalar.Run(input, reference, Batch);

        for (int i = 0; i < fast.Length; i++) Assert.True(MathF.Abs(fast[i] - reference[i]) <= tolerance, $"output {i}: {fast[i]} vs {reference[i]}");
        Assert.Contains(fast, v => v is > 0.01f and < 0.99f); // neither a saturated softmax nor dead layers
    }
}
