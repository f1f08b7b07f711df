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
}
