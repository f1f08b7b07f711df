namespace EdgeLowRank.Runtime.Tests;

/// <summary>The probe the zero-allocation tests rely on must see an allocation that recurs and forgive one that does not.</summary>
public sealed class AllocationProbeTests
{
    private static object? _kept;

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(300)]
    public void An_allocation_repeated_every_few_calls_is_reported(int period)
    {
        int calls = 0;
        long bytes = AllocationProbe.RecurringBytes(() => { if (++calls % period == 0) _kept = new byte[64]; });
        Assert.True(bytes > 0, $"an allocation every {period} calls went unseen");
    }

    [Fact]
    public void A_single_disturbance_after_warm_up_is_not_the_codes_doing()
    {
        // Warm-up by count only, so call 1,005 falls in the first measured round.
        int calls = 0;
        long bytes = AllocationProbe.RecurringBytes(() => { if (++calls == 1005) _kept = new byte[64]; }, warmUpCalls: 1000, warmUpMilliseconds: 0);
        Assert.Equal(0, bytes);
        Assert.Equal(1000 + 7 * 100, calls);
    }
}
