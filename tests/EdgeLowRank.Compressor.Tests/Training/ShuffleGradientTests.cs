using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using static EdgeLowRank.Compressor.Tests.Training.SkipNetworks;

namespace EdgeLowRank.Compressor.Tests.Training;

/// <summary>
/// The channel slice and shuffle against finite differences: each layer alone on images and vectors, and ShuffleNet v2's two
/// units, where both slices of a basic unit read one activation (the branch's slice sends its share back through the chain's
/// sum, the other slice's gradient is overwritten) and the shuffle's gradient goes back through the inverse permutation.
/// </summary>
public sealed class ShuffleGradientTests
{
    public static TheoryData<int[], int, int> Slices => new()
    {
        { [3, 3, 5], 1, 3 },
        { [3, 3, 4], 0, 2 },
        { [3, 3, 4], 2, 2 },
        { [7], 6, 1 },
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void TheSliceKeepsItsChannelsAndScattersTheGradientBack(int[] dims, int start, int count)
    {
        var layer = new ChannelSlice("slice1", start, count);
        var input = new TensorShape(dims);
        Assert.Equal([.. dims[..^1], count], layer.Bind(input, 2).Dimensions.ToArray());
        GradientCheck.Verify(layer, input, batch: 2);

        // The last pixel by hand, and an input gradient that held something before: the channels not kept get zero.
        float[] x = Enumerable.Range(0, 2 * input.ElementCount).Select(i => (float)i).ToArray(), y = new float[2 * input.ElementCount / dims[^1] * count];
        layer.Forward(x, y, 2, ComputeThreads.Single);
        Assert.Equal(x[^dims[^1]..][start..(start + count)], y[^count..]);
        float[] dy = Enumerable.Repeat(1f, y.Length).ToArray(), dx = Enumerable.Repeat(5f, x.Length).ToArray();
        layer.Backward(x, y, dy, dx, 2, ComputeThreads.Single);
        Assert.Equal(Enumerable.Range(0, dims[^1]).Select(c => c >= start && c < start + count ? 1f : 0f), dx[^dims[^1]..]);
    }

    [Theory]
    [InlineData(2, new[] { 0f, 3, 1, 4, 2, 5 })]
    [InlineData(3, new[] { 0f, 2, 4, 1, 3, 5 })]
    public void TheShuffleDealsChannelsFromTheGroupsAndItsGradientGoesBack(int groups, float[] dealt)
    {
        var layer = new ChannelShuffle("shuffle1", groups);
        var image = new TensorShape(2, 2, 6);
        Assert.Equal(image, layer.Bind(image, 3));
        GradientCheck.Verify(layer, image, batch: 3);
        GradientCheck.Verify(layer, new TensorShape(6), batch: 3);

        layer.Bind(new TensorShape(6), 1);
        float[] y = new float[6], dx = new float[6];
        layer.Forward([0, 1, 2, 3, 4, 5], y, 1, ComputeThreads.Single);
        Assert.Equal(dealt, y);
        layer.Backward([0, 1, 2, 3, 4, 5], y, y, dx, 1, ComputeThreads.Single);
        Assert.Equal([0f, 1, 2, 3, 4, 5], dx); // the inverse permutation undoes the deal
    }

    [Fact]
    public void ABasicUnit() => VerifyGradients(BasicUnit(input: 2, channels: 4, first: 1, [Conv("conv1", 2, 4), new Relu("relu1")]), Image, features: 25 * 4);

    [Fact]
    public void ADownsamplingUnitThenABasicUnit() => VerifyGradients(
    [
        Conv("conv1", 2, 4), new Relu("relu1"),                                    // activation 2: the unit's input, 5×5×4
        new DepthwiseConv2d("dw1", 4, new ConvolutionGeometry(3, 2, 1)),
        Pointwise("conv2", 4, 3), new Relu("relu2"),                               // activation 5: the first path's output, 3×3×3
        new ShortcutBranch("branch1", source: 2),
        Pointwise("conv3", 4, 3), new Relu("relu3"),
        new DepthwiseConv2d("dw2", 3, new ConvolutionGeometry(3, 2, 1)),
        Pointwise("conv4", 3, 3), new Relu("relu4"),
        new ChannelConcat("concat1", source: 5),
        // Activation 13: 3×3×6. Six channels in 2 groups of 3, where the inverse of the shuffle is no shuffle of 2 groups (for 4
        // channels it would be: the same permutation both ways).
        new ChannelShuffle("shuffle1", 2),
        .. BasicUnit(input: 13, channels: 6, first: 2, []),
    ], Image, features: 9 * 6);

    [Fact]
    public void ShardsOfAShuffleUnitComputeTheWholeBatchsGradients() =>
        // Each shard has replicas of the layers: slices and shuffles must survive Replicate.
        ShardedStepTests.AssertTwoShardsComputeTheWholeBatchsGradients(
        [
            .. BasicUnit(input: 2, channels: 4, first: 1, [Pointwise("conv1", 1, 4), new Relu("relu1")]),
            new Flatten("flatten"), new Dense("fc", 8 * 8 * 4, 10),
        ]);

    [Fact]
    public void BindRefusesASliceBeyondTheChannelsAndAShuffleOfUnequalGroups()
    {
        var slice = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 3), new ChannelSlice("slice1", 2, 2)], Image, features: 50));
        Assert.Contains("layer 1 (slice1): ChannelSlice keeps channels 2 to 3 but receives 5×5×3", slice.Message);
        var shuffle = Assert.Throws<ArgumentException>(() => Build([Conv("conv1", 2, 3), new ChannelShuffle("shuffle1", 2)], Image, features: 75));
        Assert.Contains("layer 1 (shuffle1): ChannelShuffle deals 2 equal groups of channels but receives 5×5×3", shuffle.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelShuffle("shuffle1", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelSlice("slice1", -1, 2));
    }

    /// <summary>ShuffleNet v2's basic unit after <paramref name="before"/>, with its input at activation <paramref name="input"/>
    /// of <paramref name="channels"/> channels: the second half through 1×1, ReLU, depthwise 3×3, 1×1, ReLU (activation input + 6),
    /// a branch back to the input, its first half, the two stacked (the half first) and shuffled in 2 groups.</summary>
    private static TrainingLayer[] BasicUnit(int input, int channels, int first, TrainingLayer[] before)
    {
        int half = channels / 2;
        return
        [
            .. before,
            new ChannelSlice($"slice{2 * first - 1}", half, half),
            Pointwise($"unit{first}a", half, half), new Relu($"unit{first}relu_a"),
            new DepthwiseConv2d($"unit{first}dw", half, new ConvolutionGeometry(3, 1, 1)),
            Pointwise($"unit{first}b", half, half), new Relu($"unit{first}relu_b"),
            new ShortcutBranch($"unit{first}branch", source: input),
            new ChannelSlice($"slice{2 * first}", 0, half),
            new ChannelConcat($"unit{first}concat", source: input + 6, inputFirst: true),
            new ChannelShuffle($"unit{first}shuffle", 2),
        ];
    }
}
