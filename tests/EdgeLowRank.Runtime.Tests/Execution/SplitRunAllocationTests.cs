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
        AssertRunsAllocateNothing(session, 16, 200);
    }

    [Fact]
    public void A_run_with_its_layers_split_over_threads_allocates_nothing_on_any_thread()
    {
        foreach (Model model in (Model[])[LayerSplitSessionTests.Wide(int8: false), LayerSplitSessionTests.Mobile()])
        {
            using var session = new InferenceSession(model, new SessionOptions { Threads = 2 }, ownsModel: true);
            Assert.True(session.PartsFor(1) == 1 && session.SplitsLayers(1));
            AssertRunsAllocateNothing(session, 1, 200);
        }
    }

    private static void AssertRunsAllocateNothing(InferenceSession session, int batch, int runs)
    {
        float[] input = TestModels.RandomFloats(new Random(2), batch * session.InputLength);
        var output = new float[batch * session.OutputLength];
        for (int i = 0; i < 300; i++) session.Run(input, output, batch); // past tiered compilation on every thread

        // The process's count includes what the runtime's own threads allocate meanwhile (168 bytes in a round of a CI
        // run), so the least-allocating of seven rounds is judged, against a bound no allocation per run stays under:
        // the smallest object is 24 bytes, 4,800 in a round of 200 runs.
        var bytes = new long[7];
        for (int round = 0; round < bytes.Length; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < runs; i++) session.Run(input, output, batch);
            bytes[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Assert.True(bytes.Min() < 1_000, $"at least {bytes.Min()} bytes in each round of {runs} runs");
    }
}
#endif
