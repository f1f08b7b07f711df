using EdgeLowRank.Runtime.Cli.Commands;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class OutputComparisonTests
{
    private const float Inf = float.PositiveInfinity;

    [Theory]
    [InlineData(new[] { 123f, 123f, Inf }, new[] { 1f, 2f, 3f })]     // an infinite expected value hid every other difference
    [InlineData(new[] { 1f, 2f, 3f }, new[] { 1f, 2f, Inf })]
    [InlineData(new[] { 1f, 2f, Inf }, new[] { 1f, 2f, -Inf })]
    [InlineData(new[] { 1f, 2f, float.NaN }, new[] { 1f, 2f, 3f })]
    [InlineData(new[] { 1f, 2f, float.NaN }, new[] { 1f, 2f, float.NaN })]
    public void A_NaN_or_infinity_not_matched_on_the_other_side_is_an_infinite_error(float[] expected, float[] outputs)
    {
        Assert.Equal((double.PositiveInfinity, 0), OutputComparison.Worst(expected, outputs, 3));
    }

    [Fact]
    public void Equal_infinities_match_and_leave_the_scale_to_the_finite_values()
    {
        // Sample 1 differs by 0.5 against a largest finite |expected| of 2; its infinity is matched and adds nothing.
        float[] expected = [1f, 2f, -Inf, 1f, 2f, Inf];
        float[] outputs = [1f, 2f, -Inf, 1f, 1.5f, Inf];

        Assert.Equal((0.25, 1), OutputComparison.Worst(expected, outputs, 3));
    }

    [Fact]
    public void Only_the_samples_run_are_compared()
    {
        // With --limit the expected file may hold more samples than were run; the rest is not looked at.
        Assert.Equal((0.0, 0), OutputComparison.Worst([1f, 2f, float.NaN, Inf], [1f, 2f], 2));
    }
}
