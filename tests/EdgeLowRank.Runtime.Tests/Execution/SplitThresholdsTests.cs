using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>A session's split thresholds are its own (the fuzzing harness lowers them so small files split): lowered, a
/// small model's batch and layers run on the workers, bit for bit as one thread; another session keeps the defaults.</summary>
public sealed class SplitThresholdsTests
{
    private static Model SmallMlp() => TestModels.DenseChain(7, 20, 64, 5);

    [Theory]
    [InlineData(1)]   // one sample: its layers split
    [InlineData(6)]   // a batch: split into parts of samples
    public void Lowered_thresholds_split_a_small_model_in_that_session_only_with_one_threads_bits(int batch)
    {
        using Model model = SmallMlp();
        float[] input = TestModels.RandomFloats(new Random(batch), batch * 20, 1f), alone = new float[batch * 5], split = new float[batch * 5], usual = new float[batch * 5];
        using var one = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8 });
        using var lowered = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, Threads = 2, Split = new SplitThresholds(1, 1, 1) });
        using var defaults = new InferenceSession(model, new SessionOptions { MaxBatchSize = 8, Threads = 2 });

        one.Run(input, alone, batch);
        lowered.Run(input, split, batch);
        defaults.Run(input, usual, batch);

        Assert.True(lowered.WorkerRuns > 0, "the lowered session ran nothing on its workers");
        Assert.Equal(0, defaults.WorkerRuns);
        Assert.Equal(alone, split);
        Assert.Equal(alone, usual);
    }
}
