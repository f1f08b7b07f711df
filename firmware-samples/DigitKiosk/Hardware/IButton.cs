namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>The push button that asks for a classification.</summary>
internal interface IButton : IDisposable
{
    /// <summary>Blocks until the button is pressed. Returns false when no press will come any more
    /// (cancelled, or a simulated button ran out of input).</summary>
    bool WaitForPress(CancellationToken cancellation);
}
