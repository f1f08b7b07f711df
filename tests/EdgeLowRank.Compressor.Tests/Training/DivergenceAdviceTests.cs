using EdgeLowRank.Compressor.Training;

namespace EdgeLowRank.Compressor.Tests.Training;

public sealed class DivergenceAdviceTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void TheBoundIsWhereTheOptimizerStartsToDivergeOnWeightDecayAlone(double momentum)
    {
        // Weight decay d with a zero loss gradient is the quadratic d/2·w²: the optimizer itself must shrink w just below
        // the bound and blow it up just above it.
        double bound = DivergenceAdvice.StableRateTimesCurvature(momentum);
        Assert.True(Run(momentum, 0.97 * bound) < 1e-3);
        Assert.True(Run(momentum, 1.03 * bound) > 1e3);
    }

    private static double Run(double momentum, double rateTimesDecay)
    {
        var weight = new Parameter("w", 1, 1, decays: true);
        weight.Value[0] = 1;
        var sgd = new NesterovSgd([weight], momentum, weightDecay: 1);
        for (int step = 0; step < 3000 && float.IsFinite(weight.Value[0]) && Math.Abs(weight.Value[0]) < 1e6; step++)
        {
            weight.Gradient[0] = 0;
            sgd.Step(rateTimesDecay);
        }
        return Math.Abs(weight.Value[0]);
    }

    [Fact]
    public void TermsThatDivergeOnlyTogetherAreNamedTogether()
    {
        // rate·μ = 0.8 and rate·d = 0.8 are each below 1.36, their sum is past it.
        string both = DivergenceAdvice.For(0.1, 0.9, 8, "--weight-decay", "--lr", penalty: 8, penaltyOption: "--mu0");
        Assert.StartsWith("the penalty μ = 8 and the weight decay 8 diverge together", both);
        Assert.EndsWith("lower --mu0 or --weight-decay, or --lr", both);
    }

    [Fact]
    public void TheRateIsBlamedOnlyWhenNeitherTermDivergesOnItsOwn()
    {
        Assert.Equal("lower --lr", DivergenceAdvice.For(0.1, 0.9, 5e-4, "--weight-decay", "--lr", penalty: 2.4, penaltyOption: "--mu0"));

        string stiffPenalty = DivergenceAdvice.For(0.1, 0.9, 5e-4, "--weight-decay", "--lr", penalty: 1e8, penaltyOption: "--mu0");
        Assert.StartsWith("the penalty μ = 1E+08 diverges on its own", stiffPenalty);
        Assert.EndsWith("lower --mu0, or --lr", stiffPenalty);

        string stiffDecay = DivergenceAdvice.For(0.1, 0.9, 1e300, "--weight-decay", "--lr");
        Assert.StartsWith("the weight decay 1E+300 diverges on its own", stiffDecay);
        Assert.EndsWith("lower --weight-decay, or --lr", stiffDecay);
    }
}
