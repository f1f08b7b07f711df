namespace EdgeLowRank.Runtime.Tests;

/// <summary>Measures what a piece of code allocates on the calling thread once it is warm.</summary>
internal static class AllocationProbe
{
    /// <summary>
    /// Calls <paramref name="run"/> until tiered compilation has settled, then returns the fewest bytes
    /// allocated by any of several rounds. Code that allocates does so in every round; a round disturbed
    /// once by the runtime (a method moving to its next tier, a first call down a new path) is not the
    /// code's doing, so the best round is the honest figure.
    /// </summary>
    public static long FewestBytes(Action run, int warmUpCalls = 200, int rounds = 5, int callsPerRound = 20)
    {
        for (int i = 0; i < warmUpCalls; i++) run();
        long fewest = long.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerRound; i++) run();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
