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
    [InlineData(0.001, "holds out none of class 'b' (34 samples); give a share of at least 0.015.")]
    [InlineData(0.999, "leaves none of class 'b' (34 samples) to train on; give a smaller share.")]
    public void A_share_that_rounds_a_part_to_nothing_says_which_way_to_move_it(double fraction, string message)
    {
        Assert.EndsWith(message, Numbered().HoldOutProblem(fraction));
        Assert.EndsWith(message, Assert.Throws<DatasetException>(() => Numbered().SplitValidation(fraction, seed: 1)).Message);
    }

    /// <summary>200 samples of classes a and b and 2 of class c.</summary>
    private static Dataset OneRareClass()
    {
        byte[] labels = [.. Enumerable.Repeat((byte)0, 100), .. Enumerable.Repeat((byte)1, 100), 2, 2];
        return new Dataset("skewed", new SampleShape(1, 1, 1), new float[labels.Length], labels, ["a", "b", "c"]);
    }

    [Theory]
    [InlineData(0.1, "holds out none of class 'c' (2 samples); give a share of at least 0.25.")]
    [InlineData(0.8, "leaves none of class 'c' (2 samples) to train on; give a smaller share.")]
    public void A_share_that_empties_one_class_on_one_side_is_refused_though_both_parts_keep_samples(double fraction, string message)
    {
        // 0.1 holds out 20 samples (none of them c), 0.8 keeps 40 (none of them c): both parts are non-empty, but one
        // class is missing from one of them.
        Assert.EndsWith(message, OneRareClass().HoldOutProblem(fraction));
        Assert.EndsWith(message, Assert.Throws<DatasetException>(() => OneRareClass().SplitValidation(fraction, seed: 1)).Message);
    }

    [Theory]
    [InlineData(0.001, 34)]
    [InlineData(0.0001, 139)]
    [InlineData(0.00001, 5421)]
    [InlineData(0.00001, 6250)] // ½/n exactly on a two-digit share: 0.00008
    [InlineData(0.00001, 10000)] // 0.00005, which floating point computes as a hair over and would round up to 0.000051
    [InlineData(0.000001, 200000)]
    public void The_share_it_suggests_is_the_least_of_two_significant_digits_that_holds_out_a_sample_of_the_rarest_class(double tooSmall, int rarest)
    {
        byte[] labels = [.. Enumerable.Repeat((byte)0, rarest), .. Enumerable.Repeat((byte)1, rarest + 10)];
        var data = new Dataset("two", new SampleShape(1, 1, 1), new float[labels.Length], labels, ["a", "b"]);
        string problem = data.HoldOutProblem(tooSmall)!;
        string typed = problem[(problem.LastIndexOf(' ') + 1)..^1];
        decimal suggested = decimal.Parse(typed, System.Globalization.CultureInfo.InvariantCulture);
        // One step lower in the suggestion's last digit, as a user would type it.
        decimal step = 1m / (decimal)Math.Pow(10, typed.Length - typed.IndexOf('.') - 1);

        Assert.Null(data.HoldOutProblem((double)suggested));
        Assert.NotNull(data.HoldOutProblem((double)(suggested - step)));
    }

    [Fact]
    public void A_class_of_one_sample_is_refused_at_any_share_with_no_share_to_try()
    {
        byte[] labels = [.. Enumerable.Repeat((byte)0, 100), 1];
        var data = new Dataset("lonely", new SampleShape(1, 1, 1), new float[labels.Length], labels, ["a", "b"]);
        foreach (double share in (double[])[0.1, 0.5, 0.9])
            Assert.Equal("lonely has a single sample of class 'b', which cannot be both held out and trained on: no share splits it.",
                data.HoldOutProblem(share));
    }

    [Fact]
    public void An_empty_dataset_has_nothing_to_hold_out()
    {
        var data = new Dataset("empty", new SampleShape(1, 1, 1), [], [], ["a", "b"]);
        Assert.Equal("empty has no samples to hold out from.", data.HoldOutProblem(0.1));
    }

    [Fact]
    public void A_class_with_no_samples_at_all_is_no_problem()
    {
        byte[] labels = [0, 0, 0, 0, 1, 1, 1, 1];
        var data = new Dataset("two-of-three", new SampleShape(1, 1, 1), new float[labels.Length], labels, ["a", "b", "c"]);
        Assert.Null(data.HoldOutProblem(0.5));
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
