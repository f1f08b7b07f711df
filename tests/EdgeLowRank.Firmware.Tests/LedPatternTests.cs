using EdgeLowRank.Samples.Common;
using EdgeLowRank.Samples.DigitKiosk;
using EdgeLowRank.Samples.DigitKiosk.Hardware;

namespace EdgeLowRank.Firmware.Tests;

public class LedPatternTests
{
    [Fact]
    public void Four_leds_show_the_digit_in_binary_most_significant_first()
    {
        var pattern = new LedPattern(classCount: 10, ledCount: 4);
        Assert.Equal([false, true, true, false], pattern.For(6));
        Assert.Equal([true, false, false, true], pattern.For(9));
    }

    [Fact]
    public void One_led_per_class_lights_exactly_one()
    {
        bool[] states = new LedPattern(classCount: 10, ledCount: 10).For(3);
        Assert.Equal(3, Array.IndexOf(states, true));
        Assert.Single(states, s => s);
    }

    [Fact]
    public void Too_few_leds_are_a_usage_error()
    {
        Assert.Contains("at least 4", Assert.Throws<UsageException>(() => new LedPattern(10, 3)).Message);
    }

    [Fact]
    public void Console_leds_print_one_line_per_change()
    {
        var output = new StringWriter();
        new ConsoleLedBank(output, 4).Show([true, false, false, true]);
        Assert.Equal("leds: 1001" + Environment.NewLine, output.ToString());
    }
}
