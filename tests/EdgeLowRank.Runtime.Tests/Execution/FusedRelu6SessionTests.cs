using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A Relu6 layer after a weighted layer (MobileNetV2's Clip(0, 6)) runs in that layer's store, one step instead
/// of two, and computes exactly what the layer then a Relu6 pass compute; where it cannot fuse, it stays a step.</summary>
public sealed class FusedRelu6SessionTests
{
    /// <summary>Each weighted layer kind, on a 10×10×12 image (or its 1,200 floats), with weights large enough that many
    /// outputs pass 6 and many fall below 0.</summary>
    public static TheoryData<string> Kinds() => ["Dense", "FactorizedDense", "Conv2d", "FactorizedConv2d", "DepthwiseConv2d", "PaddedConv2d"];

    private static Layer Weighted(string kind, Random random) => kind switch
    {
        "Dense" => new DenseLayer(Scaled(random, 1200, 40), TestModels.RandomFloats(random, 40)),
        "FactorizedDense" => new FactorizedDenseLayer(Scaled(random, 1200, 9), Scaled(random, 9, 40), TestModels.RandomFloats(random, 40),
            Activation.None, FactorizationMethod.Svd),
        "Conv2d" => new Conv2dLayer(Scaled(random, 9 * 12, 20), TestModels.RandomFloats(random, 20), 12, new ConvolutionGeometry(3)),
        "PaddedConv2d" => new Conv2dLayer(Scaled(random, 9 * 12, 20), TestModels.RandomFloats(random, 20), 12, new ConvolutionGeometry(3, 2, 1)),
        "FactorizedConv2d" => new FactorizedConv2dLayer(Scaled(random, 9 * 12, 5), Scaled(random, 5, 20), TestModels.RandomFloats(random, 20), 12,
            new ConvolutionGeometry(3, 1, 1), Activation.None, FactorizationMethod.Cur),
        "DepthwiseConv2d" => new DepthwiseConv2dLayer(TestModels.RandomFloats(random, 9 * 12, 8f), TestModels.RandomFloats(random, 12), 12,
            new ConvolutionGeometry(3, 1, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static PackedMatrix Scaled(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(TestModels.RandomFloats(random, rows * columns, 20f / MathF.Sqrt(rows)), rows, columns);

    private static TensorShape InputOf(string kind) => kind.Contains("Dense") ? new TensorShape(1200) : new TensorShape(10, 10, 12);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_relu6_after_a_weighted_layer_is_one_step_computing_what_two_compute(string kind)
    {
        foreach (KernelPath path in (KernelPath[])[KernelPath.Auto, KernelPath.Scalar])
        {
            Layer layer = Weighted(kind, new Random(6));
            using var fused = new Model(InputOf(kind), [layer, new Relu6Layer()], new ModelMetadata());
            using var alone = new Model(InputOf(kind), [layer], new ModelMetadata());
            using var fusedSession = new InferenceSession(fused, new SessionOptions { KernelPath = path });
            using var layerSession = new InferenceSession(alone, new SessionOptions { KernelPath = path });
            Assert.Equal($"{layer.Kind}+Relu6", Assert.Single(fusedSession.Steps).Name.Split(' ')[0]);

            foreach (int batch in (int[])[1, 3])
            {
                float[] input = TestModels.RandomFloats(new Random(batch), batch * fusedSession.InputLength);
                float[] expected = new float[batch * fusedSession.OutputLength], actual = new float[expected.Length];
                layerSession.Run(input, expected, batch);
                Relu6Kernel.Reference(expected, expected);
                fusedSession.Run(input, actual, batch);
                Assert.Equal(expected, actual);
                Assert.Contains(6f, actual); // the ceiling was reached: a plain ReLU would fail above
                Assert.Contains(0f, actual);
            }
        }
    }

    [Fact]
    public void A_relu6_stays_a_step_after_an_add_and_where_an_add_reads_the_layers_output()
    {
        var random = new Random(3);
        Layer Conv() => new Conv2dLayer(Scaled(random, 12, 12), ReadOnlyMemory<float>.Empty, 12, new ConvolutionGeometry(1));
        // The Add's kernel has no ceiling; and an Add that reads the convolution's own output needs it before the clamp.
        using var model = new Model(new TensorShape(4, 4, 12), [Conv(), new AddLayer(0), new Relu6Layer(), Conv(), new Relu6Layer(), new AddLayer(4)],
            new ModelMetadata());
        using var session = new InferenceSession(model);
        Assert.Equal(["Conv2d", "Add", "Relu6", "Conv2d", "Relu6", "Add"], session.Steps.Select(s => s.Name.Split(' ')[0]));
    }
}
