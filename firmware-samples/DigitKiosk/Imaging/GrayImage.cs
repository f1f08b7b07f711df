namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>A grayscale image, row by row from the top left, each pixel scaled to [0, 1] (0 = black).</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Pixels">Width × Height values in [0, 1].</param>
/// <param name="TurnedBy">The EXIF orientation the file's stored pixels were turned by to give this image
/// (<see cref="ExifOrientation.TopLeft"/>: as stored), so the console can say what was done.</param>
internal sealed record GrayImage(int Width, int Height, float[] Pixels, ExifOrientation TurnedBy = ExifOrientation.TopLeft);
