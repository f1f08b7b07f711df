using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>Format 1.9's squeeze-and-excitation in a session: a ChannelScale whose source is held while the gate's path
/// runs, then read again by a later Add, beside the hard swish, hard sigmoid and SiLU layers.</summary>
public sealed class ChannelScaleSessionTests
{
    /// <summary>Dense 12→16, hard swish (activation 2), a gate from it (Dense 16→4 (ReLU), Dense 4→16, PyTorch's hard
    /// sigmoid) scaling activation 2, Dense 16→16, an Add of activation 2 again (held past the ChannelScale), SiLU, a second
    /// gate of ONNX's default hard sigmoid straight from the SiLU's output (activation 10) scaling it, Dense 16→3.</summary>
    private static Model ExciteMlp()
    {
        var random = new Random(23);
        Layer Dense(int inputs, int outputs, Activation activation = Activation.None) =>
            new DenseLayer(TestModels.RandomMatrix(random, inputs, outputs), TestModels.RandomFloats(random, outputs, 0.5f), activation);
        return new Model(new TensorShape(12),
        [
            Dense(12, 16),                   // 0 → a1
            new HardSwishLayer(),            // 1 → a2
            Dense(16, 4, Activation.Relu),   // 2 → a3
            Dense(4, 16),                    // 3 → a4
            new HardSigmoidLayer(),          // 4 → a5
            new ChannelScaleLayer(2),        // 5 → a6 = a2 ⊙ a5
            Dense(16, 16),                   // 6 → a7
            new AddLayer(2),                 // 7 → a8 = a7 + a2
            new SiluLayer(),                 // 8 → a9
            new HardSigmoidLayer(0.2f, 0.5f),// 9 → a10
            new ChannelScaleLayer(9),        // 10 → a11 = a9 ⊙ a10
            Dense(16, 3),
        ], new ModelMetadata());
    }

    [Theory]
    [MemberData(nameof(InferenceSessionTests.Paths), MemberType = typeof(InferenceSessionTests))]
    public void Gated_blocks_match_the_float64_reference_for_every_sample_of_a_split_batch(KernelPath path)
    {
        using Model model = ExciteMlp();
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, KernelPath = path });
        ReferenceAssert.Matches(model, session, batch: 19, seed: 6);
    }

    [Fact]
    public void Two_threads_compute_what_one_computes()
    {
        using Model model = ExciteMlp();
        ReferenceAssert.TwoThreadsComputeWhatOneComputes(model);
    }

    [Fact]
    public void Steps_name_what_each_scale_scales_and_the_activations()
    {
        using Model model = ExciteMlp();
        using var session = new InferenceSession(model);

        // The hard swish runs in the first Dense's store: the ChannelScale and the Add read its output, not the Dense's.
        Assert.Equal(["Dense+HardSwish 12→16", "Dense+Relu 16→4", "Dense 4→16", "HardSigmoid 16→16", "ChannelScale 16→16 ← 2",
            "Dense 16→16", "Add 16→16 ← 2", "Silu 16→16", "HardSigmoid 16→16", "ChannelScale 16→16 ← 9", "Dense 16→3"], session.Steps.Select(s => s.Name));
        Assert.Equal(["HardSigmoid 0.16666667, 0.5", "HardSigmoid 0.2, 0.5"], model.Layers.OfType<HardSigmoidLayer>().Select(l => l.Label));
        Assert.Contains(ChannelScaleLayer.LabelLegend, model.LabelLegends);
    }

    [Fact]
    public void A_branch_may_end_in_a_channel_scale()
    {
        // The gate computed from another activation than the one it scales: a Branch back to the input, its own path.
        var random = new Random(29);
        using var model = new Model(new TensorShape(6),
        [
            new DenseLayer(TestModels.RandomMatrix(random, 6, 5), TestModels.RandomFloats(random, 5)),  // 0 → a1, scaled
            new BranchLayer(0),                                                                          // 1 → a0
            new DenseLayer(TestModels.RandomMatrix(random, 6, 5), TestModels.RandomFloats(random, 5)),  // 2 → a3
            new HardSigmoidLayer(),
            new ChannelScaleLayer(1),
        ], new ModelMetadata());
        using var session = new InferenceSession(model);
        ReferenceAssert.Matches(model, session, batch: 3, seed: 8);
    }

    [Fact]
    public void A_model_refuses_a_gate_that_is_not_one_value_per_channel_or_a_later_source()
    {
        var random = new Random(2);
        Layer Conv(int inputs, int outputs) => new Conv2dLayer(TestModels.RandomMatrix(random, inputs, outputs), ReadOnlyMemory<float>.Empty, inputs, new ConvolutionGeometry(1));

        var pixels = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(4, 4, 3), [Conv(3, 3), new ChannelScaleLayer(0)], new ModelMetadata()));
        var channels = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(4, 4, 3), [new AvgPool2dLayer(4, 4), Conv(3, 2), new ChannelScaleLayer(0)], new ModelMetadata()));
        var ahead = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(4, 4, 3), [new AvgPool2dLayer(4, 4), new ChannelScaleLayer(1)], new ModelMetadata()));

        Assert.Contains("Layer 1 (ChannelScale): it scales activation 0 (4×4×3) by its input (4×4×3); the input must hold one value per channel of it: a vector of 3 or a 1×1×3 image", pixels.Message);
        Assert.Contains("Layer 2 (ChannelScale): it scales activation 0 (4×4×3) by its input (1×1×2)", channels.Message);
        Assert.Contains("Layer 1 (ChannelScale): it scales activation 1, but only activations 0 (the model's input) to 0 come before its own input", ahead.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelScaleLayer(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardSigmoidLayer(float.NaN, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardSigmoidLayer(0.2f, float.PositiveInfinity));
        Assert.Throws<InvalidOperationException>(() => new ChannelScaleLayer(0).GetOutputShape(new TensorShape(10)));
    }
}
