using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>ChannelSlice and ChannelShuffle layers in a session, as ShuffleNet v2's units use them: half the channels
/// passed through, the other half through a branch, the two stacked and shuffled.</summary>
public sealed class ChannelShuffleSessionTests
{
    /// <summary>Dense 12→16 (ReLU), a ShuffleNet v2 unit over its 16 features (the second half through Dense 8→8 (ReLU) and
    /// Dense 8→8, a Branch back to the unit's input, the first half, a Concat with it first, a shuffle of 2 groups), a
    /// shuffle of 4 groups, Dense 16→3.</summary>
    private static Model ShuffleMlp()
    {
        var random = new Random(17);
        Layer Dense(int inputs, int outputs, Activation activation = Activation.None) =>
            new DenseLayer(TestModels.RandomMatrix(random, inputs, outputs), TestModels.RandomFloats(random, outputs, 0.1f), activation);
        return new Model(new TensorShape(12),
        [
            Dense(12, 16, Activation.Relu),  // 0 → a1
            new ChannelSliceLayer(8, 8),     // 1 → a2
            Dense(8, 8, Activation.Relu),    // 2 → a3
            Dense(8, 8),                     // 3 → a4
            new BranchLayer(1),              // 4 → a1
            new ChannelSliceLayer(0, 8),     // 5 → a6
            new ConcatLayer(4, inputFirst: true), // 6 → [a6, a4]
            new ChannelShuffleLayer(2),      // 7
            new ChannelShuffleLayer(4),      // 8
            Dense(16, 3),
        ], new ModelMetadata());
    }

    [Theory]
    [MemberData(nameof(InferenceSessionTests.Paths), MemberType = typeof(InferenceSessionTests))]
    public void A_shufflenet_unit_matches_the_float64_reference_for_every_sample_of_a_split_batch(KernelPath path)
    {
        using Model model = ShuffleMlp();
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, KernelPath = path });
        ReferenceAssert.Matches(model, session, batch: 19, seed: 5);
    }

    [Fact]
    public void Two_threads_compute_what_one_computes()
    {
        using Model model = ShuffleMlp();
        ReferenceAssert.TwoThreadsComputeWhatOneComputes(model);
    }

    [Fact]
    public void Steps_name_the_slices_and_shuffles()
    {
        using Model model = ShuffleMlp();
        using var session = new InferenceSession(model);

        Assert.Equal(["Dense+Relu 12→16", "ChannelSlice 16→8", "Dense+Relu 8→8", "Dense 8→8", "ChannelSlice 16→8", "Concat 8→16 → 4",
            "ChannelShuffle 16→16", "ChannelShuffle 16→16", "Dense 16→3"], session.Steps.Select(s => s.Name));
        Assert.Equal(["ChannelSlice 8…15", "ChannelSlice 0…7"], model.Layers.OfType<ChannelSliceLayer>().Select(l => l.Label));
        Assert.Equal(["ChannelShuffle 2", "ChannelShuffle 4"], model.Layers.OfType<ChannelShuffleLayer>().Select(l => l.Label));
    }

    [Fact]
    public void A_model_refuses_a_slice_past_the_last_channel_and_groups_that_do_not_divide_the_channels()
    {
        var past = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(4, 4, 6), [new ChannelSliceLayer(4, 3)], new ModelMetadata()));
        var groups = Assert.Throws<ArgumentException>(() => new Model(new TensorShape(4, 4, 6), [new ChannelShuffleLayer(4)], new ModelMetadata()));

        Assert.Contains("Layer 0 (ChannelSlice): ChannelSlice keeps channels 4 to 6 but receives 4×4×6, whose last dimension has 6 (0 to 5).", past.Message);
        Assert.Contains("Layer 0 (ChannelShuffle): ChannelShuffle deals 4 equal groups of channels but receives 4×4×6, whose last dimension (6) is not a multiple of 4.", groups.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelSliceLayer(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelSliceLayer(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelShuffleLayer(1));
    }
}
