using System.Text;

namespace EdgeLowRank.Samples.ThermalBench.Output;

/// <summary>
/// Writes to whatever <see cref="Console.Out"/> is at the moment of each write, not when the bench started: after a
/// hang-up the terminal is gone, Console.Out is switched to <see cref="TextWriter.Null"/>, and the bench's per-second lines
/// must follow it instead of failing on the dead terminal (which lost the CSV).
/// </summary>
internal sealed class CurrentConsoleOut : TextWriter
{
    /// <inheritdoc/>
    public override Encoding Encoding => Console.OutputEncoding;

    /// <inheritdoc/>
    public override void Write(char value) => Console.Out.Write(value);

    /// <inheritdoc/>
    public override void Write(string? value) => Console.Out.Write(value);

    /// <inheritdoc/>
    public override void WriteLine(string? value) => Console.Out.WriteLine(value);
}
