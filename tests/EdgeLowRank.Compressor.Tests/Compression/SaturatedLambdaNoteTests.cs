using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

public sealed class SaturatedLambdaNoteTests
{
    private static LcStepReport Last(bool? saturated) =>
        new(34, 1.97, 1000, 0.008, 0.9, 0.5794, [2, 2, -1], 12.09, 12.09, 8.667, 0.01, LambdaSaturated: saturated);

    [Fact]
    public void A_saturated_last_step_names_the_guard_the_ranks_and_a_smaller_lambda()
    {
        string? note = SaturatedLambdaNote.For(new LcOptions { Lambda = 1000 }, Last(true), ["fc1", "fc2", "fc3"]);

        Assert.Equal("λ 1000 is past the point where λ shapes the network: at the last C step every layer it may factorize took the cheapest rank the rank guard "
            + "(--max-relative-error 0.5) admits (fc1 2, fc2 2, fc3 dense), so any larger λ gives the same ranks, and the guard, not λ, set the error (57.94% at "
            + "the last C step). Give a smaller λ to trade less accuracy (docs/RESULTS.md's λ sweeps show the range that matters), or --target-ratio R for a ratio.", note);
    }

    [Fact]
    public void No_note_below_saturation_for_an_older_checkpoints_step_or_for_a_searched_lambda()
    {
        Assert.Null(SaturatedLambdaNote.For(new LcOptions { Lambda = 1e-3 }, Last(false), ["fc1", "fc2", "fc3"]));
        Assert.Null(SaturatedLambdaNote.For(new LcOptions { Lambda = 1000 }, Last(null), ["fc1", "fc2", "fc3"]));
        // With --target-ratio the search sets λ, and a ratio the guard caps is a shortfall, warned of as such.
        Assert.Null(SaturatedLambdaNote.For(new LcOptions { TargetRatio = 20 }, Last(true), ["fc1", "fc2", "fc3"]));
    }
}
