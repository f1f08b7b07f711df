using EdgeLowRank.Runtime.Cli;
using EdgeLowRank.Runtime.Cli.Commands;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class BenchSettingsTests
{
    private static BenchSettings WithDuration(double? duration) => new(1, 1, 0, 0, 5000, duration, KernelPath.Auto, false, 1);

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(86401.0)]
    public void A_duration_given_must_be_a_time_to_measure_for(double duration)
    {
        // 0 stood for "not given": `--duration 0` measured the default 5,000 runs without a word.
        var e = Assert.Throws<CliException>(WithDuration(duration).Validate);
        Assert.Equal(1, e.ExitCode);
        Assert.StartsWith("--duration must be above 0 and at most 86400 seconds", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.001)]
    [InlineData(86400.0)]
    public void No_duration_or_one_above_0_is_valid(double? duration) => WithDuration(duration).Validate();

    [Theory]
    [InlineData(0, "--run-threads must be between 1 and 256, not 0")]
    [InlineData(257, "--run-threads must be between 1 and 256, not 257")]
    public void Run_threads_outside_1_to_256_are_refused(int runThreads, string message)
    {
        var settings = new BenchSettings(64, 1, 0, 0, 10, null, KernelPath.Auto, PerLayer: true, 1, runThreads);
        var e = Assert.Throws<CliException>(settings.Validate);
        Assert.Equal(1, e.ExitCode);
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData(-0.5, null, "--min-seconds must be between 0 and 86400, not -0.5")]
    [InlineData(double.NaN, null, "--min-seconds must be between 0 and 86400, not NaN")]
    [InlineData(1.0, 5.0, "--min-seconds is only used with --runs, as the least time to measure them for, so it would change nothing beside --duration")]
    public void A_minimum_time_must_be_0_or_more_and_goes_with_runs_not_a_duration(double minSeconds, double? duration, string message)
    {
        var settings = new BenchSettings(1, 1, 0, 0, 10, duration, KernelPath.Auto, false, 1, MinSeconds: minSeconds);
        var e = Assert.Throws<CliException>(settings.Validate);
        Assert.Equal(1, e.ExitCode);
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void The_load_check_left_out_says_why_and_what_lengthens_the_runs()
    {
        var runs = new BenchSettings(1, 1, 0, 0, 10, null, KernelPath.Auto, false, 1);
        Assert.Equal("no /proc/stat (not Linux)", BenchRunner.WhyNoContention(procStatRead: false, 2.0, runs));
        Assert.Equal("the timed runs took 34.00 ms, under the 0.5 s needed (/proc/stat counts in 10 ms ticks); --min-seconds 0.5 measures it",
            BenchRunner.WhyNoContention(procStatRead: true, 0.034, runs));
        Assert.EndsWith("; a --duration of 0.5 or more measures it", BenchRunner.WhyNoContention(true, 0.2, runs with { Duration = 0.2 }));
    }
}
