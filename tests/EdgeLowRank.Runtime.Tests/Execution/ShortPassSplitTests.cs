using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>
/// A batch above the session's largest pass runs in passes, the last one short. The whole batch may be large enough to
/// split layers across threads while that last pass has more rows than a layer's outputs but too few to share out by rows:
/// the digits MLP (64 → 128 → 64 → 10) at batch 75, passes of 64 and 11, on two threads failed with an internal error
/// (libelr and classify.py through it, in a user trial), because the split by rows asked for between 1 and 0 parts.
/// </summary>
public sealed class ShortPassSplitTests
{
    private static Model DigitsMlp() => TestModels.DenseChain(64, 64, 128, 64, 10);

    [Theory]
    [InlineData(2, 64)]
    [InlineData(4, 64)]
    [InlineData(2, 32)]
    [InlineData(2, 16)]
    [InlineData(8, 100)]
    public void Every_batch_up_to_five_passes_runs_on_threads_as_on_one(int threads, int maxBatch)
    {
        using Model model = DigitsMlp();
        using var alone = new InferenceSession(model, new SessionOptions { MaxBatchSize = maxBatch });
        using var split = new InferenceSession(model, new SessionOptions { MaxBatchSize = maxBatch, Threads = threads });
        var random = new Random(threads * 1000 + maxBatch);
        for (int batch = 1; batch <= 5 * maxBatch; batch++)
        {
            float[] input = TestModels.RandomFloats(random, batch * 64);
            var expected = new float[batch * 10];
            var actual = new float[batch * 10];
            alone.Run(input, expected, batch);
            split.Run(input, actual, batch);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"batch {batch}: the outputs differ from one thread's");
        }
    }

    [Fact]
    public void A_product_of_a_few_more_rows_than_outputs_is_not_split_by_rows()
    {
        // 11 rows into 10 outputs: too few rows for two parts of whole cache lines.
        Assert.False(SplitKernelRunner.ProductSplitFor(2, 11, 11, 64, 10).ByRows);
    }
}
