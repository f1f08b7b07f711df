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

    [Theory]
    [InlineData(10, 3, "give 4 pins to --led-pins for binary or 10 for one LED per class")]
    [InlineData(16, 4, "give 5 pins")] // 4 LEDs hold 16 patterns, but 1111 is the error pattern
    [InlineData(10, 6, "the first 2 would light only for errors")]
    [InlineData(10, 12, "the last 2 would light only for errors")]
    public void Led_counts_that_neither_encoding_uses_exactly_are_a_usage_error(int classes, int leds, string message)
    {
        Assert.Contains(message, Assert.Throws<UsageException>(() => new LedPattern(classes, leds)).Message);
    }

    [Fact]
    public void Both_encodings_leave_all_on_for_errors_at_every_class_count()
    {
        for (int classes = 2; classes <= 40; classes++)
        {
            int bits = (int)Math.Ceiling(Math.Log2(classes + 1.0));
            foreach (var pattern in new[] { new LedPattern(classes, bits), new LedPattern(classes, classes) })
                for (int c = 0; c < classes; c++) Assert.NotEqual(pattern.Error(), pattern.For(c));
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void A_model_with_fewer_than_two_classes_is_a_usage_error(int classes, int leds)
    {
        // One class on one LED would light exactly as an error does.
        Assert.Contains("a classifier needs at least 2 classes", Assert.Throws<UsageException>(() => new LedPattern(classes, leds)).Message);
    }

    [Fact]
    public void Console_leds_print_one_line_per_change()
    {
        var output = new StringWriter();
        new ConsoleLedBank(output, 4).Show([true, false, false, true]);
        Assert.Equal("leds: 1001" + Environment.NewLine, output.ToString());
    }
}
