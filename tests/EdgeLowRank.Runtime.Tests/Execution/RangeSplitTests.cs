using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>How <see cref="SplitKernelRunner.Ranges"/> cuts a kernel's units: every unit in exactly one part, every
/// boundary on the alignment, small kernels on the caller alone.</summary>
public sealed class RangeSplitTests
{
    [Theory]
    [InlineData(2, 100_003, 1, 16)]   // an Add's elements: 3 past a multiple of 16
    [InlineData(3, 100_003, 1, 16)]
    [InlineData(3, 1_681, 56, 2)]     // a ChannelScale's pixels of 56 channels, boundaries every two
    [InlineData(2, 56, 1_681, 16)]    // a pooling's channels, 8 past the last run of 16
    [InlineData(3, 56, 1_681, 16)]
    [InlineData(4, 40, 100_000, 16)]  // more threads than runs of 16: two parts
    public void Every_unit_runs_in_exactly_one_part_and_parts_start_on_the_alignment(int threads, int units, int unitFloats, int alignment)
    {
        using var team = new WorkerTeam(threads - 1);
        var runner = new SplitKernelRunner(KernelPath.Scalar, team, SplitThresholds.Default);
        int parts = SplitKernelRunner.RangePartsFor(threads, units, unitFloats, alignment);
        Assert.Equal(Math.Min(threads, units / alignment), parts);
        var counts = new float[units];
        var starts = new List<int>();
        RangeKernel count = (_, _, _, y, start, end) =>
        {
            lock (starts) starts.Add(start);
            for (int u = start; u < end; u++) y[u]++; // a unit in two parts counts two; the parts never share a unit's slot
        };
        Assert.True(team.TryAcquire());
        runner.Ranges(count, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, counts, units, unitFloats, alignment);
        team.Release();

        Assert.All(counts, c => Assert.Equal(1f, c));
        Assert.Equal(parts, starts.Count);
        Assert.All(starts, s => Assert.Equal(0, s % alignment));
    }

    [Fact]
    public void A_kernel_under_two_parts_of_work_runs_alone()
    {
        Assert.Equal(1, SplitKernelRunner.RangePartsFor(2, 2 * SplitThresholds.Default.ElementsPerPart - 1, 1, 16));
        Assert.Equal(1, SplitKernelRunner.RangePartsFor(2, 31, 100_000, 16)); // one run of 16 channels however large the image
        Assert.Equal(2, SplitKernelRunner.RangePartsFor(2, 2 * SplitThresholds.Default.ElementsPerPart, 1, 16));
    }
}
