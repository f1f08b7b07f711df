using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A Relu6 layer (MobileNetV2's Clip(0, 6)) or a HardSwish layer (MobileNetV3's) after a weighted layer runs in
/// that layer's store, one step instead of two, and computes exactly what the layer then the activation's own step compute,
/// on every kernel path; where it cannot fuse, it stays a step, and SiLU and the sigmoid always do (fused, they measured
/// slower: bench/RESULTS.md, "SiLU in the store").</summary>
public sealed class FusedActivationSessionTests
{
    /// <summary>Each weighted layer kind, on a 10×10×12 image (or its 1,200 floats), with weights large enough that many
    /// outputs pass 6 and many fall below −3; a depthwise convolution over 16 channels too, whose 3×3 interior has a loop
    /// of its own, and over 6, fewer than a vector's lanes, which runs as a dense convolution (ExecutorFactory). 40, 20
    /// and 12 outputs leave a partial last panel of 8 or 4 columns, 12 depthwise channels an overlapping last vector.</summary>
    public static TheoryData<string> Kinds() =>
        ["Dense", "FactorizedDense", "Conv2d", "FactorizedConv2d", "DepthwiseConv2d", "DepthwiseConv2d16", "DepthwiseConv2d6", "PaddedConv2d"];

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
        "DepthwiseConv2d6" => new DepthwiseConv2dLayer(TestModels.RandomFloats(random, 9 * 6, 8f), TestModels.RandomFloats(random, 6), 6,
            new ConvolutionGeometry(3, 1, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static PackedMatrix Scaled(Random random, int rows, int columns) =>
        PackedMatrix.FromRowMajor(TestModels.RandomFloats(random, rows * columns, 20f / MathF.Sqrt(rows)), rows, columns);

    private static TensorShape InputOf(string kind) =>
        kind.Contains("Dense") ? new TensorShape(1200) : new TensorShape(10, 10, kind switch { "DepthwiseConv2d16" => 16, "DepthwiseConv2d6" => 6, _ => 12 });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_relu6_after_a_weighted_layer_is_one_step_computing_what_two_compute(string kind) =>
        AssertOneStepComputesWhatTwoCompute(kind, new Relu6Layer(), actual =>
        {
            Assert.Contains(6f, actual); // the ceiling was reached: a plain ReLU would fail here
            Assert.Contains(0f, actual);
        });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_hard_swish_after_a_weighted_layer_is_one_step_computing_what_two_compute(string kind) =>
        AssertOneStepComputesWhatTwoCompute(kind, new HardSwishLayer(), actual =>
        {
            Assert.Contains(actual, v => v > 3);                 // the identity above the upper kink
            Assert.Contains(actual, v => v == 0);                // zero below the lower kink
            Assert.Contains(actual, v => v is < 0 and > -0.38f); // the curve between them
        });

    /// <summary>Every path this machine accelerates, and Auto.</summary>
    private static IEnumerable<KernelPath> Paths() =>
        Enum.GetValues<KernelPath>().Where(KernelPaths.IsSupported);

    /// <summary>The weighted layer of <paramref name="kind"/> then <paramref name="activation"/> is one step, on every path,
    /// whose outputs are, bit for bit, the layer's alone put through a session of <paramref name="activation"/> alone on the
    /// same path (its own step, as it ran before it was fused), at batch 1 and 3; <paramref name="reached"/> checks the
    /// outputs cover the activation's pieces.</summary>
    private static void AssertOneStepComputesWhatTwoCompute(string kind, Layer activation, Action<float[]> reached)
    {
        foreach (KernelPath path in Paths())
        {
            Layer layer = Weighted(kind, new Random(6));
            using var fused = new Model(InputOf(kind), [layer, activation], new ModelMetadata());
            using var alone = new Model(InputOf(kind), [layer], new ModelMetadata());
            using var separate = new Model(alone.OutputShape, [activation], new ModelMetadata());
            using var fusedSession = new InferenceSession(fused, new SessionOptions { KernelPath = path });
            using var layerSession = new InferenceSession(alone, new SessionOptions { KernelPath = path });
            using var activationSession = new InferenceSession(separate, new SessionOptions { KernelPath = path });
            Assert.Equal($"{layer.Kind}+{activation.Kind}", Assert.Single(fusedSession.Steps).Name.Split(' ')[0]);

            foreach (int batch in (int[])[1, 3])
            {
                float[] input = TestModels.RandomFloats(new Random(batch), batch * fusedSession.InputLength);
                float[] layerOutputs = new float[batch * fusedSession.OutputLength];
                float[] expected = new float[layerOutputs.Length], actual = new float[layerOutputs.Length];
                layerSession.Run(input, layerOutputs, batch);
                activationSession.Run(layerOutputs, expected, batch);
                fusedSession.Run(input, actual, batch);
                Assert.True(Bits(expected).SequenceEqual(Bits(actual)), $"{path}, batch {batch}: {FirstDifference(expected, actual)}");
                reached(actual);
            }
        }
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static string FirstDifference(float[] expected, float[] actual)
    {
        int i = Bits(expected).AsSpan().CommonPrefixLength(Bits(actual));
        return i == expected.Length ? "" : $"output {i} is {actual[i]:R}, the separate step's {expected[i]:R}";
    }

    [Fact]
    public void A_relu6_or_hard_swish_stays_a_step_after_an_add_and_where_a_join_reads_the_layers_output_and_silu_and_the_sigmoid_always()
    {
        var random = new Random(3);
        Layer Conv() => new Conv2dLayer(Scaled(random, 12, 12), ReadOnlyMemory<float>.Empty, 12, new ConvolutionGeometry(1));
        // The Add's kernel has no ceiling nor hard swish; an Add or a ChannelScale that reads the convolution's own output
        // needs it before the activation; and no store fuses SiLU or the sigmoid.
        using var model = new Model(new TensorShape(4, 4, 12), [Conv(), new AddLayer(0), new Relu6Layer(), Conv(), new Relu6Layer(), new AddLayer(4),
            new HardSwishLayer(), Conv(), new HardSwishLayer(), new AvgPool2dLayer(4, 4), new ChannelScaleLayer(8),
            Conv(), new SiluLayer(), Conv(), new SigmoidLayer()], new ModelMetadata());
        using var session = new InferenceSession(model);
        Assert.Equal(["Conv2d", "Add", "Relu6", "Conv2d", "Relu6", "Add", "HardSwish", "Conv2d", "HardSwish", "AvgPool2d", "ChannelScale",
            "Conv2d", "Silu", "Conv2d", "Sigmoid"], session.Steps.Select(s => s.Name.Split(' ')[0]));
    }
}
