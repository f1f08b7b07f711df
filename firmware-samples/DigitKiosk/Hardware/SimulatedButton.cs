namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>A button for running without a board: every line read from <paramref name="input"/> is one
/// press; end of input, or a line "q", means no more presses. Lets CI drive the kiosk through a pipe.</summary>
internal sealed class SimulatedButton(TextReader input) : IButton
{
    /// <inheritdoc/>
    public bool WaitForPress(CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested) return false;
        string? line = input.ReadLine();
        return line is not null && line.Trim() != "q";
    }

    /// <summary>Nothing to release: the reader belongs to the caller.</summary>
    public void Dispose() { }
}
