namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>An image file is malformed or uses a variant the readers do not support; the message says
/// what was found, where, and what was expected.</summary>
/// <param name="message">What is wrong, for the console.</param>
/// <param name="mayBeStillWritten">The file ends early (or is empty) as one still being written would, so waiting for it
/// may help; false when waiting cannot (a wrong CRC, an unknown signature).</param>
internal sealed class ImageFormatException(string message, bool mayBeStillWritten = false) : Exception(message)
{
    /// <summary>Whether the file looks cut short rather than wrong: <see cref="StillWrittenImageWait"/> waits for such a file.</summary>
    public bool MayBeStillWritten { get; } = mayBeStillWritten;
}
