using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>The accuracy line that elr-run info and elr inspect print says what a file records and nothing it does not.</summary>
public class ModelMetadataTests
{
    [Fact]
    public void A_file_that_records_no_accuracy_has_no_accuracy_line()
    {
        // The golden fixtures are such files: "dataset ; reference accuracy ; accuracy " was printed for them.
        Assert.Null(new ModelMetadata().AccuracySummary());
    }

    [Fact]
    public void Recorded_accuracies_are_percentages_with_the_data_set()
    {
        var meta = new ModelMetadata { Dataset = "mnist/test", Accuracy = 0.9826, ReferenceAccuracy = 0.9829 };
        Assert.Equal("98.26% (reference 98.29%) on mnist/test", meta.AccuracySummary());
    }

    [Fact]
    public void What_is_missing_is_named_as_missing()
    {
        Assert.Equal("(not measured) (reference (not measured)) on digits/test", new ModelMetadata { Dataset = "digits/test" }.AccuracySummary());
        Assert.Equal("97.50% (reference (not measured)) on (unknown)", new ModelMetadata { Accuracy = 0.975 }.AccuracySummary());
    }

    [Theory]
    [InlineData(null, 0, 255)]   // none recorded, none given: byte images
    [InlineData("16", 0, 16)]    // the digits' recorded scale
    [InlineData("16", 255, 255)] // the caller's replaces it
    [InlineData("0", 0, 255)]    // not a scale: as none
    [InlineData(null, 1000, 1000)]
    public void Integer_pixels_are_scaled_by_the_callers_scale_else_the_recorded_one_else_255(string? recorded, int given, int scale)
    {
        var metadata = new ModelMetadata
        {
            Properties = recorded is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ModelMetadata.InputPixelMaxProperty] = recorded },
        };
        Assert.Equal(scale, metadata.IntegerPixelScale(given));
    }
}
