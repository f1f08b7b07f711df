namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>LEDs for running without a board: each change is printed as a line "leds: 0111", first LED first.</summary>
internal sealed class ConsoleLedBank(TextWriter output, int count) : ILedBank
{
    /// <inheritdoc/>
    public void Show(ReadOnlySpan<bool> states)
    {
        var text = new char[count];
        for (int i = 0; i < count; i++) text[i] = states[i] ? '1' : '0';
        output.WriteLine($"leds: {new string(text)}");
    }

    /// <summary>Nothing to release: the writer belongs to the caller.</summary>
    public void Dispose() { }
}
