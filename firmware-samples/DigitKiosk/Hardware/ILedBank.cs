namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>A row of LEDs that shows a result.</summary>
internal interface ILedBank : IDisposable
{
    /// <summary>How many LEDs the bank has.</summary>
    int Count { get; }

    /// <summary>Lights LED i when <paramref name="states"/>[i] is true; the span holds <see cref="Count"/> items.</summary>
    void Show(ReadOnlySpan<bool> states);
}
