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
}
