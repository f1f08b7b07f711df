namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>An image file is malformed or uses a variant the readers do not support; the message says
/// what was found, where, and what was expected.</summary>
internal sealed class ImageFormatException(string message) : Exception(message);
