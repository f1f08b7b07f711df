using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>The process's allocations, which include the session's worker threads, counted while no other test runs.
/// Release builds only: unoptimized, a run takes 10 ms, and what the runtime's own threads allocate over that time
/// (about 12 bytes a run here) would be counted as the session's.</summary>
#if !DEBUG
[Collection(nameof(IO.AloneInTheProcess))]
public sealed class SplitRunAllocationTests
{
    [Fact]
    public void A_run_split_over_threads_allocates_nothing_on_any_thread()
    {
        using Model model = Runtime.Format.ModelReader.Load(Format.Fixtures.Model("lenet5-factorized"));
        using var session = new InferenceSession(model, new SessionOptions { Threads = 2 });
        Assert.Equal(2, session.PartsFor(16));
        float[] input = TestModels.RandomFloats(new Random(2), 16 * session.InputLength);
        var output = new float[16 * session.OutputLength];
        for (int i = 0; i < 300; i++) session.Run(input, output, 16); // past tiered compilation on every thread

        // The process's count includes what the runtime's own threads allocate meanwhile (168 bytes in a round of a CI
        // run), so the least-allocating of seven rounds is judged, against a bound no allocation per run stays under:
        // the smallest object is 24 bytes, 4,800 in a round of 200 runs.
        var bytes = new long[7];
        for (int round = 0; round < bytes.Length; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 200; i++) session.Run(input, output, 16);
            bytes[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Assert.True(bytes.Min() < 1_000, $"at least {bytes.Min()} bytes in each round of 200 runs");
    }
}
#endif
