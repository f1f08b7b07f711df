namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>A grayscale image, row by row from the top left, each pixel scaled to [0, 1] (0 = black).</summary>
internal sealed record GrayImage(int Width, int Height, float[] Pixels);
