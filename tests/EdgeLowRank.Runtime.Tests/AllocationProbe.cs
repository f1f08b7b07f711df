using System.Diagnostics;

namespace EdgeLowRank.Runtime.Tests;

/// <summary>Measures what a piece of code allocates on the calling thread once it is warm.</summary>
internal static class AllocationProbe
{
    /// <summary>
    /// Calls <paramref name="run"/> until tiered compilation has settled (at least <paramref name="warmUpCalls"/> calls and
    /// <paramref name="warmUpMilliseconds"/>, past the runtime's 100 ms call-counting delay), then measures several rounds and returns the bytes of the
    /// second most-allocating round. A one-off disturbance by the runtime (a method moving to its next tier, a first call
    /// down a new path) lands in one round only; an allocation the code repeats, even once every few hundred calls (up to one in
    /// 350 with the defaults: two of 700 measured calls), lands in at least two, so it is still reported.
    /// </summary>
    public static long RecurringBytes(Action run, int warmUpCalls = 200, int warmUpMilliseconds = 300, int rounds = 7, int callsPerRound = 100)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < warmUpCalls || clock.ElapsedMilliseconds < warmUpMilliseconds; i++) run();
        var bytes = new long[rounds];
        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerRound; i++) run();
            bytes[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(bytes);
        return bytes[^2];
    }
}
