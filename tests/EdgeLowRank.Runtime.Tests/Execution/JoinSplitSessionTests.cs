using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A batch too small to split into parts of samples runs its Adds, ChannelScales, poolings, Concats, ChannelSlices and
/// ChannelShuffles split across the session's threads (<see cref="SplitKernelRunner.Ranges"/>): the outputs are bit for bit
/// those of one thread on every path, and every part's boundary falls where the kernel can start (a whole pixel, a whole
/// vector of channels).</summary>
public sealed class JoinSplitSessionTests
{
    /// <summary>41×41×56 through an EfficientNet block's squeeze-and-excitation and a residual Add, then ResNet's padded
    /// stem pooling. Every length leaves a tail: 94,136 floats, 8 past a multiple of 16 (the Add's last part); 1,681 pixels,
    /// odd where the ChannelScale's boundaries fall every two pixels (56 channels: 7 cache lines); 56 channels, 8 past the
    /// last run of 16 (the poolings' last part).</summary>
    private static Model Excite()
    {
        var random = new Random(56);
        Layer Pointwise() => new Conv2dLayer(TestModels.RandomMatrix(random, 56, 56), TestModels.RandomFloats(random, 56, 0.1f), 56, new ConvolutionGeometry(1));
        return new Model(new TensorShape(41, 41, 56),
        [
            Pointwise(),                            // 0 → a1: four panels, split in two, so the session splits layers at one image
            new SiluLayer(),                        // 1 → a2
            new AvgPool2dLayer(41, 41),             // 2 → a3 = 1×1×56, the squeeze: split by channels
            Pointwise(),                            // 3 → a4 (one pixel: alone)
            new SigmoidLayer(),                     // 4 → a5 (56 values: alone)
            new ChannelScaleLayer(2),               // 5 → a6 = a2 ⊙ a5: split by pixels
            new AddLayer(2, Activation.Relu),       // 6 → a7 = max(a6 + a2, 0): split by elements
            new MaxPool2dLayer(3, 2, 1),            // 7 → 21×21×56, padded: split by channels of the bordered copy
        ], new ModelMetadata());
    }

    public static TheoryData<KernelPath, int, int> Cases()
    {
        var data = new TheoryData<KernelPath, int, int>();
        foreach (KernelPath path in InferenceSessionTests.Paths)
        {
            data.Add(path, 1, 2);
            data.Add(path, 1, 3);
        }
        data.Add(KernelPath.Auto, 3, 2); // three samples: one part of samples, the ChannelScale's pixels cut inside a sample
        data.Add(KernelPath.Scalar, 3, 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Joins_and_poolings_split_across_threads_compute_what_one_thread_computes(KernelPath path, int batch, int threads)
    {
        Assert.Equal(Math.Min(threads, 3), SplitKernelRunner.RangePartsFor(threads, 56, 41 * 41, 16)); // the poolings: 16 channels a part
        Assert.Equal(threads, SplitKernelRunner.RangePartsFor(threads, 41 * 41, 56, 2));             // the ChannelScale
        Assert.Equal(threads, SplitKernelRunner.RangePartsFor(threads, 41 * 41 * 56, 1, 16));        // the Add
        using Model model = Excite();
        // The first 1×1 convolution, SiLU, the ChannelScale and the Add once a batch, the two poolings image by image.
        LayerSplitSessionTests.AssertSplitLayersComputeWhatOneThreadComputes(model, path, batch, threads, workerRuns: 4 + 2 * batch);
    }

    /// <summary>41×41×58 through a ShuffleNet v2 unit's channel moves: a 1×1 convolution (so the session splits layers at one
    /// image), a slice of 29 channels from the fourth (48,749 floats, rows of an odd width: boundaries every 16 pixels), a Concat
    /// with the model's input (87 channels) and a shuffle of three groups.</summary>
    private static Model Shuffle()
    {
        var random = new Random(58);
        return new Model(new TensorShape(41, 41, 58),
        [
            new Conv2dLayer(TestModels.RandomMatrix(random, 58, 58), TestModels.RandomFloats(random, 58, 0.1f), 58, new ConvolutionGeometry(1)),
            new ChannelSliceLayer(3, 29),            // 1 → a2 = 41×41×29
            new ConcatLayer(0, inputFirst: true),    // 2 → a3 = [a2, input] = 41×41×87
            new ChannelShuffleLayer(3),              // 3 → a4
        ], new ModelMetadata());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Channel_moves_split_across_threads_compute_what_one_thread_computes(KernelPath path, int batch, int threads)
    {
        Assert.Equal(16, SplitKernelRunner.RowAlignment(29));
        Assert.Equal(2, SplitKernelRunner.RangePartsFor(threads, 41 * 41, 29, 16));                // the slice: 48,749 floats, two parts
        Assert.Equal(threads, SplitKernelRunner.RangePartsFor(threads, 41 * 41, 87, 16));          // the Concat and the shuffle
        using Model model = Shuffle();
        // The convolution, the slice, the Concat and the shuffle, once a batch each.
        LayerSplitSessionTests.AssertSplitLayersComputeWhatOneThreadComputes(model, path, batch, threads, workerRuns: 4);
    }
}
