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

    [Theory]
    [InlineData("  -o, --output <string?>    Write here. [Default: null]", "  -o, --output <string>     Write here.")]
    [InlineData("  -d, --duration <double?>     Measure this long.", "  -d, --duration <double>      Measure this long.")]
    public void An_option_that_is_off_unless_given_shows_no_default_and_a_plain_type(string line, string shown)
    {
        // `string?` is C#'s way of saying "may be left out"; the missing [Required] already says so to a user.
        Assert.Equal(shown, ParseMessages.WithPlainDefaults(line));
    }

    [Theory]
    [InlineData("  --rtol <double>    Tolerance. [Default: 1E-05]", "  --rtol <double>    Tolerance. [Default: 1e-5]")]
    [InlineData("  --big <double>    Big. [Default: 2.5E+12]", "  --big <double>    Big. [Default: 2.5e12]")]
    [InlineData("  --shift <double>    Shift. [Default: -3E-07]", "  --shift <double>    Shift. [Default: -3e-7]")]
    public void A_number_default_is_shown_as_a_user_types_it(string line, string shown)
    {
        // The parser wrote the round-trip form of the double, with an upper-case E and a padded exponent.
        Assert.Equal(shown, ParseMessages.WithPlainDefaults(line));
    }

    [Fact]
    public void Other_defaults_and_text_elsewhere_in_the_help_are_left_alone()
    {
        string help = "Options:\n  -b, --batch <int>    Samples. [Default: 1]\n  -o, --output <string>    Write @\"x\", 1E-05 or null here.\n"
            + "  --rtol <double>    Tolerance. [Default: 0.5]\n";
        Assert.Equal(help, ParseMessages.WithPlainDefaults(help));
    }

    [Theory]
    [InlineData("run", "--", "model.elr", "--input", "in.f32")]
    [InlineData("info", "model.elr", "--")]
    public void A_double_dash_anywhere_is_refused(params string[] args)
    {
        // The parser drops it and all after it, and with no arguments left showed the usage with exit code 0.
        Assert.StartsWith("'--' is not used by elr-run", ParseMessages.FindEndOfOptions(args));
    }

    [Fact]
    public void Options_and_negative_numbers_are_no_double_dash()
    {
        Assert.Null(ParseMessages.FindEndOfOptions(["bench", "model.elr", "--runs", "-5", "-d", "1"]));
    }

    [Fact]
    public void The_options_a_help_lists_are_its_long_names_without_help_and_version()
    {
        string help = "Usage: elr-run bench MODEL.elr [options...] [-h|--help] [--version]\n\nArguments:\n  [0] <string>    The model.\n\n"
            + "Options:\n  -b, --batch <int>            Samples per inference. [Default: 1]\n  --warmup-seconds <double>    Keep warming up.\n"
            + "  --per-layer                  Also time each step (see --json).\n  -h, --help    Show help.\n";
        Assert.Equal(["--batch", "--warmup-seconds", "--per-layer"], ParseMessages.OptionsIn(help));
    }
}
