using EdgeLowRank.Samples.Common;
using EdgeLowRank.Samples.DigitKiosk;
using EdgeLowRank.Samples.ThermalBench;

namespace EdgeLowRank.Firmware.Tests;

public class CommandLineTests
{
    [Fact]
    public void Kiosk_defaults_are_one_button_and_four_leds()
    {
        KioskOptions o = KioskOptions.Parse(["--model", "m.elr", "--images", "in", "--simulate"]);
        Assert.Equal((17, true, false), (o.ButtonPin, o.Simulate, o.Invert));
        Assert.Equal([5, 6, 13, 19], o.LedPins);
    }

    [Theory]
    [InlineData(new[] { "--images", "in" }, "--model is required")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--led-pins", "5,x" }, "--led-pins must list")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--led-pins", "5,5" }, "lists 5 twice")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--button-pin", "5" }, "both the button and an LED")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--colour" }, "Unknown option --colour")]
    [InlineData(new[] { "--model", "--images", "in" }, "--model needs a value")]
    [InlineData(new[] { "--model", "m", "--images", "" }, "--images is given an empty value")]
    [InlineData(new[] { "--model", "m", "--model", "n", "--images", "in" }, "given twice")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--button-pin", "40" }, "--button-pin")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--led-pins", "5,6,13,28" }, "--led-pins")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--simulate", "--debounce-ms", "500" }, "--debounce-ms is only used with a real button")]
    [InlineData(new[] { "--model", "m", "--images", "in", "--simulate", "--button-pin", "22" }, "--button-pin is only used with a real button")]
    public void Kiosk_rejects_bad_options_with_a_reason(string[] args, string expected) =>
        Assert.Contains(expected, Assert.Throws<UsageException>(() => KioskOptions.Parse(args)).Message);

    [Fact]
    public void Bench_reads_rate_duration_and_csv()
    {
        BenchOptions o = BenchOptions.Parse(["--model", "m.elr", "--rate", "50", "--duration", "2.5", "--csv", "out.csv"]);
        Assert.Equal((50.0, TimeSpan.FromSeconds(2.5), "out.csv", false), (o.Rate, o.Duration, o.CsvPath, o.SimulateSensors));
    }

    [Theory]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "fast")]
    [InlineData("--duration", "-1")]
    public void Bench_rejects_impossible_numbers(string option, string value) =>
        Assert.Contains($"{option} must be a number", Assert.Throws<UsageException>(() => BenchOptions.Parse(["--model", "m", option, value])).Message);

    [Fact]
    public void Help_wins_over_everything_else() =>
        Assert.Equal(ExitCodes.Ok, SampleMain.Run("test", "usage", ["--bogus", "-h"], () => throw new InvalidOperationException("must not run")));

    [Fact]
    public void Failures_map_to_exit_codes()
    {
        Assert.Equal(ExitCodes.Usage, SampleMain.Run("test", "", [], () => throw new UsageException("bad")));
        Assert.Equal(ExitCodes.BadInput, SampleMain.Run("test", "", [], () => throw new InvalidDataException("bad")));
        Assert.Equal(ExitCodes.IoError, SampleMain.Run("test", "", [], () => throw new FileNotFoundException("gone")));
    }
}
