namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>A row of LEDs that shows a result.</summary>
internal interface ILedBank : IDisposable
{
    /// <summary>Lights LED i when <paramref name="states"/>[i] is true; the span holds one item per LED.</summary>
    void Show(ReadOnlySpan<bool> states);
}
