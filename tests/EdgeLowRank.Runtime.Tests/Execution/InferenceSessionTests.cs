using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

public class InferenceSessionTests
{
    // Vector512 only where accelerated: most x64 machines (and every arm64 one) have no AVX-512.
    public static TheoryData<KernelPath> Paths =>
        [KernelPath.Scalar, KernelPath.Vector128, KernelPath.Vector256, KernelPath.Auto,
            .. KernelPaths.IsSupported(KernelPath.Vector512) ? [KernelPath.Vector512] : Array.Empty<KernelPath>()];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Matches_the_float64_reference_for_every_sample_of_a_batch(KernelPath path)
    {
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, KernelPath = path });
        const int batch = 19; // more than MaxBatchSize: the session splits it into passes of 8, 8 and 3
        float[] input = TestModels.RandomFloats(new Random(3), batch * session.InputLength);
        var output = new float[batch * session.OutputLength];

        session.Run(input, output, batch);

        for (int s = 0; s < batch; s++)
        {
            double[] expected = TestModels.Reference(model, input.AsSpan(s * session.InputLength, session.InputLength));
            for (int i = 0; i < expected.Length; i++)
                Assert.Equal(expected[i], output[s * session.OutputLength + i], 1e-5);
        }
    }

    [Fact]
    public void Runs_odd_shapes_with_a_leading_relu_and_no_bias()
    {
        using Model model = TestModels.OddChain();
        using var session = new InferenceSession(model);
        float[] input = TestModels.RandomFloats(new Random(5), 5 * 37);
        var output = new float[5 * 7];
        float[] original = (float[])input.Clone();

        session.Run(input, output, 5);

        for (int s = 0; s < 5; s++)
        {
            double[] expected = TestModels.Reference(model, input.AsSpan(s * 37, 37));
            for (int i = 0; i < 7; i++) Assert.Equal(expected[i], output[s * 7 + i], 1e-5);
        }
        Assert.Equal(original, input); // the leading ReLU must not run in place on the caller's input
    }

    [Fact]
    public void Fuses_a_relu_layer_into_the_layer_before_it()
    {
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model);

        Assert.Equal(["FactorizedDense+Relu 784→300 (r=30)", "FactorizedDense+Relu 300→100 (r=20)", "Dense 100→10", "Softmax 10→10"],
            session.Steps.Select(s => s.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void Run_allocates_nothing(int batch)
    {
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model);
        float[] input = TestModels.RandomFloats(new Random(1), batch * session.InputLength);
        var output = new float[batch * session.OutputLength];
        Assert.Equal(0, AllocationProbe.RecurringBytes(() => session.Run(input, output, batch)));
    }

    [Fact]
    public void Concurrent_runs_on_one_session_give_the_single_threaded_results_without_allocating()
    {
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model, new SessionOptions { ConcurrentRuns = 8 });
        const int samples = 64;
        float[] input = TestModels.RandomFloats(new Random(9), samples * session.InputLength);
        var expected = new float[samples * session.OutputLength];
        for (int s = 0; s < samples; s++) // batch 1 like the threads below: GEMV and GEMM sum in different orders
            session.Run(input.AsSpan(s * session.InputLength, session.InputLength), expected.AsSpan(s * session.OutputLength, session.OutputLength));

        var results = new float[8][];
        var allocated = new long[8];
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var output = new float[samples * session.OutputLength];
            start.SignalAndWait();
            allocated[t] = AllocationProbe.RecurringBytes(() =>
            {
                for (int s = 0; s < samples; s++)
                    session.Run(input.AsSpan(s * session.InputLength, session.InputLength), output.AsSpan(s * session.OutputLength, session.OutputLength));
            }, warmUpCalls: 10, rounds: 5, callsPerRound: 8);
            results[t] = output;
        })).ToArray();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();

        foreach (float[] result in results) Assert.Equal(expected, result);
        Assert.All(allocated, bytes => Assert.Equal(0, bytes)); // eight arenas were made up front for eight threads
    }

    [Fact]
    public void Wrong_lengths_are_rejected_with_the_expected_sizes_in_the_message()
    {
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model);

        var e = Assert.Throws<ArgumentException>(() => session.Run(new float[783], new float[10]));
        Assert.Contains("783", e.Message);
        Assert.Contains("784", e.Message);
        Assert.Throws<ArgumentException>(() => session.Run(new float[784], new float[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Run(new float[0], new float[0], 0));
    }

    [Fact]
    public void The_arena_holds_two_activation_buffers_and_the_rank_scratch_for_the_largest_batch()
    {
        using Model model = TestModels.FactorizedMlp();
        using var session = new InferenceSession(model, new SessionOptions { MaxBatchSize = 4 });

        // Largest intermediate activation: 300 floats; largest scratch: rank 30; both times 4 samples, rounded to 16 floats.
        Assert.Equal((2 * 1200 + 128) * sizeof(float), session.ArenaBytes);
    }

    [Fact]
    public void A_batch_whose_buffers_would_not_fit_in_a_span_is_refused_with_the_largest_that_fits()
    {
        using Model model = TestModels.FactorizedMlp();

        // 300 floats a sample in the widest activation buffer; a buffer holds at most 2^31-1 floats rounded down to 16.
        int largest = InferenceSession.LargestBatchSizeFor(model);
        Assert.Equal((int.MaxValue / 16 * 16) / 300, largest);
        static long RoundUp(long floats) => (floats + 15) / 16 * 16;
        Assert.Equal((2 * RoundUp(300L * largest) + RoundUp(30L * largest)) * sizeof(float), InferenceSession.ArenaBytesFor(model, largest));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => InferenceSession.ArenaBytesFor(model, largest + 1));
        Assert.Contains($"at most {largest:N0} samples per pass", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSession(model, new SessionOptions { MaxBatchSize = int.MaxValue }));
        // Two activation buffers of over 2^30 floats each put the scratch beyond an int's reach (no arena is made here).
        MemoryPlan plan = MemoryPlan.Build(model, largest);
        Assert.Equal(2L * plan.ActivationFloats, plan.ScratchOffset);
        Assert.True(plan.ScratchOffset > int.MaxValue);

        // One factorized layer reads the input and writes the output: its rank-6 intermediate is the only buffer.
        var random = new Random(3);
        using var scratchOnly = new Model(new TensorShape(8),
            [new FactorizedDenseLayer(TestModels.RandomMatrix(random, 8, 6), TestModels.RandomMatrix(random, 6, 4), ReadOnlyMemory<float>.Empty, Activation.None, FactorizationMethod.Svd)],
            new ModelMetadata());
        Assert.Equal((int.MaxValue / 16 * 16) / 6, InferenceSession.LargestBatchSizeFor(scratchOnly));
    }

    [Fact]
    public void Arenas_beyond_the_memory_the_process_may_use_are_refused_before_any_is_made_with_what_they_need()
    {
        using Model model = TestModels.FactorizedMlp();
        int largest = InferenceSession.LargestBatchSizeFor(model);

        // About 17 GB an arena, for each of 1,000 concurrent runs: more than any machine has. Made, the arenas would be
        // cleared page by page until the kernel killed the process; refused, nothing is allocated.
        var e = Assert.Throws<InsufficientMemoryException>(() =>
            new InferenceSession(model, new SessionOptions { MaxBatchSize = largest, ConcurrentRuns = 1000 }));

        Assert.Contains($"passes of up to {largest:N0} samples needs 1,000 arenas of", e.Message);
        Assert.Contains("more than the", e.Message);
        Assert.Contains("Run fewer samples a pass", e.Message);
        // Bytes times arenas past a long's range are refused too, not wrapped round to a small number.
        Assert.Throws<InsufficientMemoryException>(() =>
            new InferenceSession(model, new SessionOptions { MaxBatchSize = largest, ConcurrentRuns = int.MaxValue }));
    }

    [Fact]
    public void A_fitting_batch_size_is_the_samples_asked_for_or_the_most_the_model_takes_in_one_pass()
    {
        using Model model = TestModels.FactorizedMlp();
        int largest = InferenceSession.LargestBatchSizeFor(model);

        Assert.Equal(1, InferenceSession.FittingBatchSize(model, 1));
        Assert.Equal(256, InferenceSession.FittingBatchSize(model, 256));
        Assert.Equal(largest, InferenceSession.FittingBatchSize(model, int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceSession.FittingBatchSize(model, 0));
    }

    [Theory]
    [InlineData("lenet5-factorized", 2)]
    [InlineData("lenet5-dense", 3)]
    [InlineData("lenet300-dense", 4)]
    public void A_run_split_over_threads_computes_what_one_thread_computes(string name, int threads)
    {
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model(name));
        using var alone = new InferenceSession(model, new SessionOptions { MaxBatchSize = 16 });
        using var split = new InferenceSession(model, new SessionOptions { MaxBatchSize = 16, Threads = threads });
        Assert.Equal(threads, split.Threads);
        Assert.Equal(threads, split.PartsFor(64));
        // Parts of two or more samples take the same kernels, row for row, as the whole batch.
        // 34 on 2 threads: parts of 17, each cut into passes of 15 and 2, not 16 and 1.
        foreach (int batch in new[] { 1, 2, 7, 34, 64 })
            AssertSameOutputs(alone, split, batch);
    }

    /// <summary>Runs the same random batch through both sessions and asserts equal outputs, bit for bit.</summary>
    private static void AssertSameOutputs(InferenceSession expectedSession, InferenceSession actualSession, int batch)
    {
        float[] input = TestModels.RandomFloats(new Random(batch), batch * expectedSession.InputLength);
        float[] expected = new float[batch * expectedSession.OutputLength], actual = new float[expected.Length];
        expectedSession.Run(input, expected, batch);
        actualSession.Run(input, actual, batch);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("lenet300-factorized-int8")]
    [InlineData("lenet5-factorized")]
    public void However_a_batch_is_cut_into_passes_no_sample_is_left_alone(string name)
    {
        // A pass of one sample would run the GEMV, whose sums round differently: 65 samples in passes of at most 64 run as
        // 63 and 2, and compute exactly what one pass of 65 computes.
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model(name));
        using var whole = new InferenceSession(model, new SessionOptions { MaxBatchSize = 65 });
        using var cut = new InferenceSession(model, new SessionOptions { MaxBatchSize = 64 });
        AssertSameOutputs(whole, cut, 65);
    }

    [Fact]
    public void Passes_of_two_split_over_threads_leave_no_sample_alone_but_the_batchs_last()
    {
        // Parts of 3 would end in a pass of one sample each (the GEMV): parts start at even samples instead, 2 and 4 of 6.
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model("lenet5-dense"));
        using var alone = new InferenceSession(model, new SessionOptions { MaxBatchSize = 2 });
        using var split = new InferenceSession(model, new SessionOptions { MaxBatchSize = 2, Threads = 2 });
        foreach (int batch in new[] { 6, 7 })
        {
            Assert.Equal(2, split.PartsFor(batch));
            AssertSameOutputs(alone, split, batch);
        }
    }

    [Fact]
    public void Concurrent_runs_on_a_split_session_share_its_workers_and_stay_correct()
    {
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model("lenet5-factorized"));
        using var session = new InferenceSession(model, new SessionOptions { Threads = 2 });
        float[] input = TestModels.RandomFloats(new Random(5), 8 * session.InputLength);
        var expected = new float[8 * session.OutputLength];
        using (var alone = new InferenceSession(model)) alone.Run(input, expected, 8);

        // Four callers: one holds the workers at a time, the others run alone meanwhile.
        var mismatches = new int[4];
        var callers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var output = new float[expected.Length];
            for (int r = 0; r < 200; r++)
            {
                session.Run(input, output, 8);
                for (int i = 0; i < output.Length; i++)
                    if (output[i] != expected[i]) mismatches[t]++;
            }
        })).ToArray();
        foreach (Thread caller in callers) caller.Start();
        foreach (Thread caller in callers) caller.Join();
        Assert.All(mismatches, m => Assert.Equal(0, m));
    }

    [Fact]
    public void A_split_session_its_owner_forgot_to_dispose_is_collected()
    {
        // Its parked workers must not keep it alive, or its model, arenas and threads would stay for ever.
        WeakReference forgotten = OpenAndForget();
        for (int i = 0; i < 3 && forgotten.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(forgotten.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference OpenAndForget()
    {
        var session = new InferenceSession(TestModels.FactorizedMlp(), new SessionOptions { Threads = 3 });
        var input = new float[64 * session.InputLength];
        session.Run(input, new float[64 * session.OutputLength], 64);
        return new WeakReference(session);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void A_thread_count_outside_1_to_256_is_refused(int threads)
    {
        using Model model = TestModels.OddChain();
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSession(model, new SessionOptions { Threads = threads }));
    }

    [Fact]
    public void A_disposed_session_refuses_to_run()
    {
        Model model = TestModels.OddChain();
        var session = new InferenceSession(model, ownsModel: true);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(new float[37], new float[7]));
    }
}
