using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary>
/// <see cref="LcOptions.MuGrowthFor"/>, the μ growth `elr compress --steps K` takes without --mu-growth. A user trial's run of
/// 6 steps at the default growth ended at μ = 0.003, far from Θ, with 11.85% error against 1.35% after its first C step.
/// </summary>
public sealed class MuGrowthForStepsTests
{
    [Fact]
    public void The_default_run_keeps_its_growth_to_the_last_bit()
    {
        var defaults = new LcOptions();
        Assert.Equal(defaults.MuGrowth, LcOptions.MuGrowthFor(defaults.Steps));
        Assert.Equal(1.25, LcOptions.MuGrowthFor(35));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(34)]
    [InlineData(36)]
    [InlineData(60)]
    public void Any_number_of_steps_ends_at_the_mu_the_default_schedule_ends_at(int steps)
    {
        var defaults = new LcOptions();
        var run = new LcOptions { Steps = steps, MuGrowth = LcOptions.MuGrowthFor(steps) };

        // 1e-3·1.25^34 ≈ 1.97: the μ at which LeNet-300-100's runs stop (docs/ALGORITHM.md, "Defaults and their cost").
        // The growth is rounded to 9 decimals, for a fingerprint every machine computes alike: the end moves by at most K·1e-9.
        Assert.Equal(defaults.MuAt(defaults.Steps - 1), run.MuAt(steps - 1), steps * 1e-9 * defaults.MuAt(defaults.Steps - 1));
        Assert.Equal(defaults.Mu0, run.MuAt(0));
        run.Validate();
    }

    [Fact]
    public void A_single_step_runs_at_mu0_whatever_the_growth_so_it_keeps_the_default()
    {
        Assert.Equal(1.25, LcOptions.MuGrowthFor(1));
        new LcOptions { Steps = 1, MuGrowth = LcOptions.MuGrowthFor(1) }.Validate();
    }
}
