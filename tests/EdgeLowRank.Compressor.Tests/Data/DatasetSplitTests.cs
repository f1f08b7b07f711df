using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

public sealed class DatasetSplitTests
{
    /// <summary>103 one-pixel samples whose pixel encodes their index, labels cycling over 3 classes.</summary>
    private static Dataset Numbered()
    {
        const int count = 103;
        float[] pixels = Enumerable.Range(0, count).Select(i => (float)i / count).ToArray();
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
        return new Dataset("numbered", new SampleShape(1, 1, 1), pixels, labels, ["a", "b", "c"]);
    }

    private static int[] Indices(Dataset part) =>
        part.Pixels.ToArray().Select(p => (int)Math.Round(p * 103)).ToArray();

    [Fact]
    public void SameSeedGivesSameSplit()
    {
        var (trainA, validationA) = Numbered().SplitValidation(0.2, seed: 7);
        var (trainB, validationB) = Numbered().SplitValidation(0.2, seed: 7);

        Assert.Equal(Indices(trainA), Indices(trainB));
        Assert.Equal(Indices(validationA), Indices(validationB));
    }

    [Fact]
    public void OtherSeedGivesOtherSplit()
    {
        Assert.NotEqual(
            Indices(Numbered().SplitValidation(0.2, seed: 7).Validation),
            Indices(Numbered().SplitValidation(0.2, seed: 8).Validation));
    }

    [Fact]
    public void PartsAreDisjointCompleteOrderedAndStratified()
    {
        var (train, validation) = Numbered().SplitValidation(0.2, seed: 1);
        int[] t = Indices(train), v = Indices(validation);

        Assert.Empty(t.Intersect(v));
        Assert.Equal(Enumerable.Range(0, 103), t.Concat(v).Order());
        Assert.Equal(t.Order(), t);
        // Classes of 35, 34 and 34 samples: round(0.2 × n) = 7 of each are held out.
        Assert.Equal(21, validation.Count);
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(7, validation.Labels.ToArray().Count(l => l == c)));
        // Labels travel with their pixels.
        Assert.All(Enumerable.Range(0, train.Count), i => Assert.Equal(t[i] % 3, train.Labels.Span[i]));
    }

    [Fact]
    public void SplitIsFixedAcrossRuntimes()
    {
        // Pins the generator: a change here changes every reported validation accuracy.
        Assert.Equal([9, 16, 17, 28, 30], Indices(Numbered().SplitValidation(0.2, seed: 42).Validation).Take(5));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void RejectsFractionsOutsideZeroToOne(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered().SplitValidation(fraction, seed: 1));
    }

    [Theory]
    [InlineData(0.001, "holds out none; give a larger share.")]
    [InlineData(0.999, "leaves none to train on; give a smaller share.")]
    public void A_share_that_rounds_a_part_to_nothing_says_which_way_to_move_it(double fraction, string message)
    {
        Assert.EndsWith(message, Numbered().HoldOutProblem(fraction));
        Assert.EndsWith(message, Assert.Throws<DatasetException>(() => Numbered().SplitValidation(fraction, seed: 1)).Message);
    }

    [Fact]
    public void A_share_that_keeps_samples_on_both_sides_is_no_problem() => Assert.Null(Numbered().HoldOutProblem(0.2));

    [Fact]
    public void ConstructorRejectsLabelsBeyondClassesAndMismatchedPixels()
    {
        var shape = new SampleShape(2, 2, 1);
        Assert.Throws<ArgumentException>(() => new Dataset("x", shape, new float[8], [0, 3], ["a", "b", "c"]));
        Assert.Throws<ArgumentException>(() => new Dataset("x", shape, new float[7], [0, 1], ["a", "b", "c"]));
    }
}
