using System.Numerics;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A 1×1, stride-1, unpadded depthwise convolution (import-onnx's input normalization) runs as a per-channel
/// affine map (<see cref="ChannelAffineExecutor"/>), with the bits of the paths it replaced.</summary>
public sealed class ChannelAffineSessionTests
{
    /// <summary>The activations a session fuses into a depthwise convolution: its own ReLU, or a following layer's.</summary>
    public static TheoryData<string> ActivationKinds => ["None", "Relu", "Relu6", "HardSwish"];

    private static Model Normalization(int channels, ConvolutionGeometry geometry, string activation, int side = 9, int seed = 1)
    {
        var random = new Random(seed + channels);
        var depthwise = new DepthwiseConv2dLayer(TestModels.RandomFloats(random, geometry.KernelSize * geometry.KernelSize * channels, 3f),
            TestModels.RandomFloats(random, channels), channels, geometry, activation == "Relu" ? Activation.Relu : Activation.None);
        Layer[] layers = activation switch
        {
            "Relu6" => [depthwise, new Relu6Layer()],
            "HardSwish" => [depthwise, new HardSwishLayer()],
            _ => [depthwise],
        };
        return new Model(new TensorShape(side, side, channels), layers, new ModelMetadata());
    }

    /// <summary>The same model with its depthwise layer as the dense convolution a session ran below Vector&lt;float&gt;.Count channels.</summary>
    private static Model AsDense(Model model)
    {
        var depthwise = (DepthwiseConv2dLayer)model.Layers[0];
        var dense = new Conv2dLayer(depthwise.ToDenseWeights(), depthwise.Bias, depthwise.Channels, depthwise.Geometry, depthwise.Activation);
        return new Model(model.InputShape, [dense, .. model.Layers.Skip(1)], new ModelMetadata());
    }

    public static TheoryData<KernelPath, string> PathsAndActivations()
    {
        var data = new TheoryData<KernelPath, string>();
        foreach (KernelPath path in InferenceSessionTests.Paths)
            foreach (string activation in ActivationKinds)
                data.Add(path, activation);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndActivations))]
    public void Every_path_gives_the_bits_of_the_path_it_replaced_and_the_scalar_reference_to_one_rounding(KernelPath path, string activation)
    {
        // Before, a session ran the layer as the dense convolution below Vector<float>.Count channels (and on the scalar path
        // as the depthwise reference, which rounds as the dense one does), and through DepthwiseLoop from that count.
        const int Batch = 3;
        foreach (int channels in (int[])[1, 3, 7, 8, 16, 17, 33])
        {
            using Model model = Normalization(channels, new ConvolutionGeometry(1), activation);
            using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = Batch, KernelPath = path });
            using var reference = new InferenceSession(model, new SessionOptions { MaxBatchSize = Batch, KernelPath = KernelPath.Scalar });
            float[] input = TestModels.RandomFloats(new Random(channels), Batch * session.InputLength, 4f);
            float[] actual = new float[input.Length], scalar = new float[input.Length], before = new float[input.Length];
            session.Run(input, actual, Batch);
            reference.Run(input, scalar, Batch);
            if (channels < Vector<float>.Count || path == KernelPath.Scalar)
            {
                using Model dense = AsDense(model);
                using var old = new InferenceSession(dense, new SessionOptions { MaxBatchSize = Batch, KernelPath = path });
                old.Run(input, before, Batch);
            }
            else
            {
                var layer = (DepthwiseConv2dLayer)model.Layers[0];
                FusedActivation fused = activation switch
                {
                    "Relu" => FusedActivation.Relu,
                    "Relu6" => FusedActivation.Relu6,
                    "HardSwish" => FusedActivation.HardSwish,
                    _ => FusedActivation.None,
                };
                for (int b = 0; b < Batch; b++)
                    DepthwiseLoop.Run(input.AsSpan(b * session.InputLength, session.InputLength), 9, 9, channels, layer.Filters.Span, layer.Bias.Span,
                        layer.Geometry, fused, before.AsSpan(b * session.InputLength, session.InputLength), 0, 9);
            }
            Assert.True(before.AsSpan().SequenceEqual(actual), $"{channels} channels: not the old path's bits");
            for (int i = 0; i < actual.Length; i++)
                Assert.True(MathF.Abs(actual[i] - scalar[i]) <= 1e-6f * (1 + MathF.Abs(scalar[i])), $"{channels} channels, element {i}: {actual[i]} vs {scalar[i]}");
        }
    }

    [Theory]
    [InlineData(1, 1, 1, 0, true)]
    [InlineData(3, 1, 1, 0, true)]
    [InlineData(17, 1, 1, 0, true)]
    [InlineData(1, 1, 2, 0, false)]   // stride 2 skips pixels
    [InlineData(17, 1, 2, 0, false)]
    [InlineData(16, 3, 1, 1, false)]  // a window of taps
    [InlineData(3, 3, 1, 0, false)]
    [InlineData(3, 2, 1, 1, false)]   // a 2×2 window with padding
    public void Only_a_one_tap_stride_one_unpadded_window_runs_as_an_affine_map(int channels, int kernel, int stride, int padding, bool affine)
    {
        using Model model = Normalization(channels, new ConvolutionGeometry(kernel, stride, padding), "None");
        LayerExecutor executor = ExecutorFactory.Create(model, 0, FusedActivation.None);
        Assert.Equal(affine, executor is ChannelAffineExecutor);
    }

    [Theory]
    [InlineData(KernelPath.Auto, 1)]
    [InlineData(KernelPath.Auto, 17)]
    [InlineData(KernelPath.Scalar, 3)]
    public void Runs_of_pixels_split_across_threads_compute_what_one_thread_computes(KernelPath path, int channels)
    {
        // One image (a batch of several is split into samples instead), of multiply-adds enough for the session to split
        // its layers (one per element here).
        int side = (int)Math.Ceiling(Math.Sqrt(2.0 * SplitThresholds.Default.KernelMultiplyAccumulatesPerPart / channels));
        using Model model = Normalization(channels, new ConvolutionGeometry(1), "Relu", side: side);
        using var alone = new InferenceSession(model, new SessionOptions { KernelPath = path });
        using var split = new InferenceSession(model, new SessionOptions { KernelPath = path, Threads = 2 });
        Assert.Equal(2, SplitKernelRunner.RangePartsFor(2, side * side, channels, SplitKernelRunner.RowAlignment(channels)));
        LayerSplitSessionTests.AssertTwentySplitRunsComputeWhatOneThreadComputes(alone, split, TestModels.RandomFloats(new Random(2), alone.InputLength),
            workerRuns: 1);
    }

    [Fact]
    public void The_golden_channel_affine_network_runs_each_of_its_1x1_depthwise_layers_as_a_channel_affine_map()
    {
        // The fixture exists to put this executor under the emulation checks: if a session stopped choosing it, they would
        // check another path and say nothing.
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model("channel-affine"));
        MemoryPlan plan = MemoryPlan.Build(model, 4);

        Assert.Equal([0, 2, 5], plan.Steps.Where(s => s.Executor is ChannelAffineExecutor).Select(s => s.FirstLayer));
        Assert.Equal(2, plan.Steps.Single(s => s.FirstLayer == 2).LayerCount); // the ReLU6 layer fused into it
    }
}
