using EdgeLowRank.Runtime.Cli.Reporting;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>Which latency statistics a bench over few runs (a short --runs, or Ctrl+C) gives, and how it says which it cannot.</summary>
public class PartialReportTests
{
    [Theory]
    [InlineData(50, 2)]
    [InlineData(90, 10)]
    [InlineData(95, 20)]
    [InlineData(99, 100)]
    public void A_percentile_needs_a_run_above_it_in_every_hundred_minus_q(int q, long needed)
    {
        var percentile = new Percentile(q);
        Assert.Equal(needed, percentile.RunsNeeded);
        Assert.False(PartialReport.Gives(needed - 1, percentile));
        Assert.True(PartialReport.Gives(needed, percentile));
    }

    [Theory]
    [InlineData(0, "—: no run measured")]
    [InlineData(1, "—: too few runs for p50 (needs 2), p90 (needs 10), p95 (needs 20) and p99 (needs 100); 1 measured")]
    [InlineData(99, "—: too few runs for p99 (needs 100); 99 measured")]
    [InlineData(100, null)]
    public void The_line_under_the_table_names_each_statistic_left_out(long runs, string? line) =>
        Assert.Equal(line, PartialReport.MissingStatistics(runs));
}
