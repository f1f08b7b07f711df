using EdgeLowRank.Runtime.Cli;

namespace EdgeLowRank.Runtime.Tests.Cli;

public sealed class ParseMessagesTests
{
    [Theory]
    [InlineData(@"  --kernel <string>    Kernel path. [Default: @""auto""]", "  --kernel <string>    Kernel path. [Default: auto]")]
    [InlineData(@"  --name <string>    A name. [Default: @""two words""]", "  --name <string>    A name. [Default: two words]")]
    public void A_string_default_is_shown_without_the_CSharp_literal_around_it(string line, string shown)
    {
        // The parser wrote `[Default: @"auto"]`: the source it generates, not the value a user types.
        Assert.Equal(shown, ParseMessages.WithPlainDefaults(line));
    }

    [Fact]
    public void An_option_that_is_off_unless_given_shows_no_default()
    {
        Assert.Equal("  -o, --output <string?>    Write here.", ParseMessages.WithPlainDefaults("  -o, --output <string?>    Write here. [Default: null]"));
    }

    [Fact]
    public void Other_defaults_and_text_elsewhere_in_the_help_are_left_alone()
    {
        string help = "Options:\n  -b, --batch <int>    Samples. [Default: 1]\n  -o, --output <string?>    Write @\"x\" or null here.\n";
        Assert.Equal(help, ParseMessages.WithPlainDefaults(help));
    }
}
