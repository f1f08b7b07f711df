using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A batch too small to split into parts of samples (one image) runs its large layers' matrix products split by
/// output columns, or by rows where they have more rows than columns, over the session's threads (<see cref="SplitKernelRunner"/>): the outputs are bit for bit those of one
/// thread, on every layer kind that multiplies matrices, f32 and int8, whatever path.</summary>
public sealed class LayerSplitSessionTests
{
    /// <summary>16×16×24 through every kind of product: a padded 3×3 convolution, a factorized one, a 1×1 one, a pooling, a
    /// dense layer and a factorized one. All but the last one's are split at one image, most with a partial last panel
    /// (72, 100, 56 and 1000 columns) whose spill must stay in its part: the convolutions' by rows, the dense layer's by
    /// panels.</summary>
    internal static Model Wide(bool int8)
    {
        var random = new Random(16);
        PackedMatrix Matrix(int rows, int columns)
        {
            PackedMatrix matrix = TestModels.RandomMatrix(random, rows, columns);
            return int8 ? matrix.Quantize() : matrix;
        }
        Layer[] layers =
        [
            new Conv2dLayer(Matrix(9 * 24, 72), TestModels.RandomFloats(random, 72, 0.1f), 24, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new FactorizedConv2dLayer(Matrix(9 * 72, 64), Matrix(64, 100), TestModels.RandomFloats(random, 100, 0.1f), 72,
                new ConvolutionGeometry(3, 1, 1), Activation.Relu, FactorizationMethod.Cur),
            new Conv2dLayer(Matrix(100, 56), TestModels.RandomFloats(random, 56, 0.1f), 100, new ConvolutionGeometry(1)),
            new MaxPool2dLayer(2, 2),
            new FlattenLayer(),
            new DenseLayer(Matrix(8 * 8 * 56, 1000), TestModels.RandomFloats(random, 1000, 0.1f), Activation.Relu),
            new FactorizedDenseLayer(Matrix(1000, 64), Matrix(64, 10), ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Svd),
        ];
        return new Model(new TensorShape(16, 16, 24), layers, new ModelMetadata());
    }

    /// <summary>41×41×48 through MobileNet's kind of layers: depthwise convolutions, 3×3 and 5×5 (41 output rows, which
    /// no thread count divides), each at least two parts' work at one image, and a 1×1 convolution between them; then a 3×3
    /// one padded differently per side (format 1.13: top 0, left 1, bottom 2, right 1), whose bands near the bottom hang
    /// over the edge by two rows and whose interior rows start at the left padding.</summary>
    internal static Model Mobile()
    {
        var random = new Random(41);
        Layer[] layers =
        [
            new DepthwiseConv2dLayer(TestModels.RandomFloats(random, 9 * 48), TestModels.RandomFloats(random, 48, 0.1f), 48, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            new Conv2dLayer(TestModels.RandomMatrix(random, 48, 64), TestModels.RandomFloats(random, 64, 0.1f), 48, new ConvolutionGeometry(1), Activation.Relu),
            new DepthwiseConv2dLayer(TestModels.RandomFloats(random, 25 * 64), ReadOnlyMemory<float>.Empty, 64, new ConvolutionGeometry(5, 1, 2)),
            new DepthwiseConv2dLayer(TestModels.RandomFloats(random, 9 * 64), TestModels.RandomFloats(random, 64, 0.1f), 64,
                new ConvolutionGeometry(3, 1, new WindowPadding(0, 1, 2, 1)), Activation.Relu),
        ];
        return new Model(new TensorShape(41, 41, 48), layers, new ModelMetadata());
    }

    /// <summary>41×41×24 through convolutions with fewer output channels than pixels, which split by rows: a padded 3×3 one
    /// to 40 channels (41 output rows, which no thread count divides), a 1×1 one to 24 (1,681 pixels, one past a multiple of
    /// 16) and a padded 3×3 one of stride 2 back to 40 (21 output rows). Each has a partial last panel, whose full-width
    /// store spills into the next row: at a part's last row, that row is the next part's.</summary>
    internal static Model Narrow(bool int8)
    {
        var random = new Random(24);
        Layer Conv(int inputs, int outputs, ConvolutionGeometry geometry, Activation activation)
        {
            PackedMatrix weights = TestModels.RandomMatrix(random, geometry.KernelSize * geometry.KernelSize * inputs, outputs);
            return new Conv2dLayer(int8 ? weights.Quantize() : weights, TestModels.RandomFloats(random, outputs, 0.1f), inputs, geometry, activation);
        }
        return new Model(new TensorShape(41, 41, 24),
        [
            Conv(24, 40, new ConvolutionGeometry(3, 1, 1), Activation.Relu),
            Conv(40, 24, new ConvolutionGeometry(1), Activation.None),
            Conv(24, 40, new ConvolutionGeometry(3, 2, 1), Activation.Relu),
        ], new ModelMetadata());
    }

    public static TheoryData<bool, KernelPath, int, int> NarrowCases()
    {
        var data = new TheoryData<bool, KernelPath, int, int>();
        foreach (KernelPath path in InferenceSessionTests.Paths)
        {
            data.Add(false, path, 1, 2);
            data.Add(false, path, 1, 3);
        }
        data.Add(true, KernelPath.Auto, 1, 2);
        data.Add(true, KernelPath.Auto, 1, 3);
        data.Add(false, KernelPath.Auto, 3, 2); // three samples: the 1×1 convolution's 5,043 pixels in one product
        data.Add(true, KernelPath.Auto, 3, 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(NarrowCases))]
    public void Convolutions_split_by_rows_compute_what_one_thread_computes(bool int8, KernelPath path, int batch, int threads)
    {
        Assert.Equal((threads, true), SplitKernelRunner.ProductSplitFor(threads, 41 * 41, 41, 9 * 24, 40));
        Assert.Equal((threads, true), SplitKernelRunner.ProductSplitFor(threads, batch * 41 * 41, batch * 41 * 41, 40, 24));
        Assert.Equal((threads, true), SplitKernelRunner.ProductSplitFor(threads, 21 * 21, 21, 9 * 24, 40));
        using Model model = Narrow(int8);
        // The 3×3 convolutions image by image, the 1×1 one once a batch.
        AssertSplitLayersComputeWhatOneThreadComputes(model, path, batch, threads, workerRuns: 2 * batch + 1);
    }

    [Theory]
    [InlineData(KernelPath.Auto, 2)]
    [InlineData(KernelPath.Auto, 3)]
    [InlineData(KernelPath.Scalar, 2)]
    public void Depthwise_convolutions_split_by_output_rows_compute_what_one_thread_computes(KernelPath path, int threads)
    {
        using Model model = Mobile();
        using var alone = new InferenceSession(model, new SessionOptions { KernelPath = path });
        using var split = new InferenceSession(model, new SessionOptions { KernelPath = path, Threads = threads });
        Assert.True(SplitKernelRunner.DepthwisePartsFor(threads, new DepthwiseStage((DepthwiseConv2dLayer)model.Layers[0], new TensorShape(41, 41, 48))) >= 2);
        Assert.True(SplitKernelRunner.DepthwisePartsFor(threads, new DepthwiseStage((DepthwiseConv2dLayer)model.Layers[2], new TensorShape(41, 41, 64))) >= 2);
        Assert.True(SplitKernelRunner.DepthwisePartsFor(threads, new DepthwiseStage((DepthwiseConv2dLayer)model.Layers[3], new TensorShape(41, 41, 64))) >= 2);
        AssertTwentySplitRunsComputeWhatOneThreadComputes(alone, split, TestModels.RandomFloats(new Random(9), alone.InputLength),
            workerRuns: 4); // the three depthwise convolutions and the 1×1 one
    }

    /// <summary>Twenty runs of <paramref name="split"/> on <paramref name="input"/> (<paramref name="batch"/> samples) each
    /// give <paramref name="alone"/>'s outputs bit for bit, each waking the team <paramref name="workerRuns"/> times (once
    /// for each split kernel). Workers wake early and late: the parts must not depend on who runs them.</summary>
    internal static void AssertTwentySplitRunsComputeWhatOneThreadComputes(InferenceSession alone, InferenceSession split, float[] input,
        int workerRuns, int batch = 1)
    {
        float[] expected = new float[batch * alone.OutputLength], actual = new float[expected.Length];
        alone.Run(input, expected, batch);
        for (int run = 0; run < 20; run++)
        {
            Array.Fill(actual, float.NaN);
            long before = split.WorkerRuns;
            split.Run(input, actual, batch);
            Assert.Equal(expected, actual);
            Assert.Equal(workerRuns, split.WorkerRuns - before);
        }
    }

    [Theory]
    [InlineData(KernelPath.Auto, 2)]
    [InlineData(KernelPath.Auto, 3)]
    [InlineData(KernelPath.Scalar, 2)]
    public void Element_wise_maps_split_by_runs_of_elements_compute_what_one_thread_computes(KernelPath path, int threads)
    {
        // 41×41×60 = 100,860 elements, 6.2 parts' worth, 12 past a multiple of 16: the last part ends off a part boundary,
        // in a padded tail; in place. The 1×1 convolution first (four panels, two parts) makes the session split layers at
        // one image.
        var random = new Random(48);
        var conv = new Conv2dLayer(TestModels.RandomMatrix(random, 48, 60), TestModels.RandomFloats(random, 60, 0.1f), 48, new ConvolutionGeometry(1));
        using var model = new Model(new TensorShape(41, 41, 48), [conv, new SiluLayer(), new SigmoidLayer(), new HardSwishLayer(), new TanhLayer()], new ModelMetadata());
        using var alone = new InferenceSession(model, new SessionOptions { KernelPath = path });
        using var split = new InferenceSession(model, new SessionOptions { KernelPath = path, Threads = threads });
        Assert.Equal(threads, SplitKernelRunner.MapPartsFor(threads, 41 * 41 * 60));
        Assert.Equal(1, SplitKernelRunner.MapPartsFor(threads, 2 * SplitThresholds.Default.ElementsPerPart - 1)); // under two parts' worth: not split
        AssertTwentySplitRunsComputeWhatOneThreadComputes(alone, split, TestModels.RandomFloats(new Random(10), alone.InputLength, 8f),
            workerRuns: 5); // the convolution and every map
    }

    public static TheoryData<bool, KernelPath, int, int> Cases()
    {
        var data = new TheoryData<bool, KernelPath, int, int>();
        foreach (bool int8 in (bool[])[false, true])
        {
            data.Add(int8, KernelPath.Auto, 1, 2);
            data.Add(int8, KernelPath.Auto, 1, 3);
            data.Add(int8, KernelPath.Auto, 3, 2); // three samples: one part of samples, the GEMM split by columns
        }
        data.Add(false, KernelPath.Vector128, 1, 2);
        data.Add(false, KernelPath.Scalar, 1, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_batch_too_small_to_split_splits_its_layers_and_computes_what_one_thread_computes(bool int8, KernelPath path, int batch, int threads)
    {
        // The products (rows in groups × inputs → outputs) the split runs across the threads: the convolutions' by rows, the
        // 3×3 ones' by output rows of 16 pixels, the 1×1 ones' by runs of 16 pixels (the first of each image alone, the
        // second of the batch's); the dense layer's by output panels.
        foreach ((int rows, int group, int inputs, int outputs, bool byRows) in (ValueTuple<int, int, int, int, bool>[])[(256, 16, 216, 72, true),
            (256, 16, 648, 64, true), (256, 256, 64, 100, true), (256 * batch, 256 * batch, 100, 56, true), (batch, batch, 3584, 1000, false)])
        {
            (int parts, bool rowsSplit) = SplitKernelRunner.ProductSplitFor(threads, rows, group, inputs, outputs);
            Assert.True(parts >= 2 && rowsSplit == byRows, $"{rows}×{inputs}→{outputs}: {parts} parts, by rows {rowsSplit}");
        }
        using Model model = Wide(int8);
        // The 3×3 convolutions' products image by image (three), the 1×1 convolution's and the dense layer's once a batch.
        AssertSplitLayersComputeWhatOneThreadComputes(model, path, batch, threads, workerRuns: 3 * batch + 2);
    }

    /// <summary>A session of <paramref name="threads"/> threads, given <paramref name="batch"/> samples, too few to split
    /// into parts of samples, splits its layers and computes what a session of one thread computes (twenty runs, each
    /// waking the team <paramref name="workerRuns"/> times).</summary>
    internal static void AssertSplitLayersComputeWhatOneThreadComputes(Model model, KernelPath path, int batch, int threads, int workerRuns)
    {
        using var alone = new InferenceSession(model, new SessionOptions { KernelPath = path });
        using var split = new InferenceSession(model, new SessionOptions { KernelPath = path, Threads = threads });
        Assert.Equal(1, split.PartsFor(batch));
        Assert.True(split.SplitsLayers(batch));
        AssertTwentySplitRunsComputeWhatOneThreadComputes(alone, split, TestModels.RandomFloats(new Random(batch), batch * alone.InputLength), workerRuns, batch);
    }

    [Fact]
    public void A_profiled_run_splits_its_layers_and_computes_what_a_plain_run_computes()
    {
        using Model model = Wide(int8: false);
        using var session = new InferenceSession(model, new SessionOptions { Threads = 2 });
        float[] input = TestModels.RandomFloats(new Random(4), session.InputLength);
        float[] expected = new float[session.OutputLength], profiled = new float[expected.Length];
        var ticks = new long[session.Steps.Count];
        session.Run(input, expected);
        session.RunProfiled(input, profiled, 1, ticks);
        Assert.Equal(expected, profiled);
        Assert.All(ticks, t => Assert.True(t > 0));
    }

    [Fact]
    public void A_model_of_small_layers_leaves_the_workers_to_other_callers()
    {
        // The factorized LeNet-300-100's largest layer is 32,520 multiply–adds an image: two parts' work at 16 images.
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model, new SessionOptions { Threads = 2 });
        Assert.False(session.SplitsLayers(1));
        Assert.False(session.SplitsLayers(15));
        Assert.True(session.SplitsLayers(16));
    }

    [Fact]
    public void Concurrent_single_image_runs_share_the_workers_and_stay_correct()
    {
        using Model model = Wide(int8: false);
        using var session = new InferenceSession(model, new SessionOptions { Threads = 2 });
        float[] input = TestModels.RandomFloats(new Random(6), session.InputLength);
        var expected = new float[session.OutputLength];
        using (var alone = new InferenceSession(model)) alone.Run(input, expected);

        // Three callers: one holds the workers and splits its layers, the others run alone meanwhile.
        var mismatches = new int[3];
        Thread[] callers = Enumerable.Range(0, 3).Select(t => new Thread(() =>
        {
            var output = new float[expected.Length];
            for (int r = 0; r < 30; r++)
            {
                session.Run(input, output);
                if (!output.AsSpan().SequenceEqual(expected)) mismatches[t]++;
            }
        })).ToArray();
        foreach (Thread caller in callers) caller.Start();
        foreach (Thread caller in callers) caller.Join();
        Assert.All(mismatches, m => Assert.Equal(0, m));
    }
}
