using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A Relu6 layer (MobileNetV2's Clip(0, 6)) or a HardSwish layer (MobileNetV3's) after a weighted layer runs in
/// that layer's store, one step instead of two, and computes exactly what the layer then the activation's own pass compute;
/// where it cannot fuse, it stays a step.</summary>
public sealed class FusedActivationSessionTests
{
    /// <summary>Each weighted layer kind, on a 10×10×12 image (or its 1,200 floats), with weights large enough that many
    /// outputs pass 6 and many fall below −3; a depthwise convolution over 16 channels too, whose 3×3 interior has a loop
    /// of its own.</summary>
    public static TheoryData<string> Kinds() => ["Dense", "FactorizedDense", "Conv2d", "FactorizedConv2d", "DepthwiseConv2d", "DepthwiseConv2d16", "PaddedConv2d"];

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
        "DepthwiseConv2d16" => new DepthwiseConv2dLayer(TestModels.RandomFloats(random, 9 * 16, 8f), TestModels.RandomFloats(random, 16), 16,
            new ConvolutionGeometry(3, 1, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static PackedMatrix Scaled(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(TestModels.RandomFloats(random, rows * columns, 20f / MathF.Sqrt(rows)), rows, columns);

    private static TensorShape InputOf(string kind) =>
        kind.Contains("Dense") ? new TensorShape(1200) : new TensorShape(10, 10, kind == "DepthwiseConv2d16" ? 16 : 12);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_relu6_after_a_weighted_layer_is_one_step_computing_what_two_compute(string kind) =>
        AssertOneStepComputesWhatTwoCompute(kind, new Relu6Layer(), Relu6Kernel.Reference, actual =>
        {
            Assert.Contains(6f, actual); // the ceiling was reached: a plain ReLU would fail here
            Assert.Contains(0f, actual);
        });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_hard_swish_after_a_weighted_layer_is_one_step_computing_what_two_compute(string kind) =>
        AssertOneStepComputesWhatTwoCompute(kind, new HardSwishLayer(), HardSwishKernel.Reference, actual =>
        {
            Assert.Contains(actual, v => v > 3);                 // the identity above the upper kink
            Assert.Contains(actual, v => v == 0);                // zero below the lower kink
            Assert.Contains(actual, v => v is < 0 and > -0.38f); // the curve between them
        });

    /// <summary>The weighted layer of <paramref name="kind"/> then <paramref name="activation"/> is one step, on both paths,
    /// whose outputs are the layer's alone put through <paramref name="reference"/>, bit for bit, at batch 1 and 3;
    /// <paramref name="reached"/> checks the outputs cover the activation's pieces.</summary>
    private static void AssertOneStepComputesWhatTwoCompute(string kind, Layer activation, Action<ReadOnlySpan<float>, Span<float>> reference, Action<float[]> reached)
    {
        foreach (KernelPath path in (KernelPath[])[KernelPath.Auto, KernelPath.Scalar])
        {
            Layer layer = Weighted(kind, new Random(6));
            using var fused = new Model(InputOf(kind), [layer, activation], new ModelMetadata());
            using var alone = new Model(InputOf(kind), [layer], new ModelMetadata());
            using var fusedSession = new InferenceSession(fused, new SessionOptions { KernelPath = path });
            using var layerSession = new InferenceSession(alone, new SessionOptions { KernelPath = path });
            Assert.Equal($"{layer.Kind}+{activation.Kind}", Assert.Single(fusedSession.Steps).Name.Split(' ')[0]);

            foreach (int batch in (int[])[1, 3])
            {
                float[] input = TestModels.RandomFloats(new Random(batch), batch * fusedSession.InputLength);
                float[] expected = new float[batch * fusedSession.OutputLength], actual = new float[expected.Length];
                layerSession.Run(input, expected, batch);
                reference(expected, expected);
                fusedSession.Run(input, actual, batch);
                Assert.Equal(expected, actual);
                reached(actual);
            }
        }
    }

    [Fact]
    public void A_relu6_or_hard_swish_stays_a_step_after_an_add_and_where_a_join_reads_the_layers_output()
    {
        var random = new Random(3);
        Layer Conv() => new Conv2dLayer(Scaled(random, 12, 12), ReadOnlyMemory<float>.Empty, 12, new ConvolutionGeometry(1));
        // The Add's kernel has no ceiling nor hard swish; and an Add or a ChannelScale that reads the convolution's own
        // output needs it before the activation.
        using var model = new Model(new TensorShape(4, 4, 12), [Conv(), new AddLayer(0), new Relu6Layer(), Conv(), new Relu6Layer(), new AddLayer(4),
            new HardSwishLayer(), Conv(), new HardSwishLayer(), new AvgPool2dLayer(4, 4), new ChannelScaleLayer(8)], new ModelMetadata());
        using var session = new InferenceSession(model);
        Assert.Equal(["Conv2d", "Add", "Relu6", "Conv2d", "Relu6", "Add", "HardSwish", "Conv2d", "HardSwish", "AvgPool2d", "ChannelScale"],
            session.Steps.Select(s => s.Name.Split(' ')[0]));
    }
}
