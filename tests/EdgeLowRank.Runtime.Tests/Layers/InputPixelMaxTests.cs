using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Layers;

/// <summary>The recorded scale of a model's integer pixels is read only when it is a whole number elr-run can divide by.</summary>
public sealed class InputPixelMaxTests
{
    private static ModelMetadata With(string value) =>
        new() { Properties = new Dictionary<string, string> { [ModelMetadata.InputPixelMaxProperty] = value } };

    [Theory]
    [InlineData("255", 255)]
    [InlineData("16", 16)]
    [InlineData("1", 1)]
    [InlineData("65535", 65535)]
    public void A_whole_number_from_1_to_65535_is_the_scale(string value, int expected) =>
        Assert.Equal(expected, With(value).InputPixelMax);

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-16")]
    [InlineData("16.0")]
    [InlineData(" 16")]
    [InlineData("sixteen")]
    [InlineData("")]
    public void Anything_else_is_no_scale(string value) => Assert.Null(With(value).InputPixelMax);

    [Fact]
    public void A_model_that_records_none_has_none() => Assert.Null(new ModelMetadata().InputPixelMax);
}
