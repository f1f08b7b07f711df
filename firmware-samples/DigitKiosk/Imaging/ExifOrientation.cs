namespace EdgeLowRank.Samples.DigitKiosk.Imaging;

/// <summary>
/// EXIF's Orientation tag (0x0112): how the stored pixels must be turned to be seen upright. A phone or camera held sideways
/// stores its sensor's rows as they came and sets this tag instead of rotating the pixels. The names are the EXIF standard's:
/// where the stored first row and first column are in the upright picture; the comments say how the stored image lies.
/// </summary>
internal enum ExifOrientation
{
    /// <summary>The tag holds a value EXIF does not define (some programs write 0 for "unknown"): used as stored, as
    /// viewers do.</summary>
    Undefined = 0,
    /// <summary>1: stored upright (also when the tag is absent).</summary>
    TopLeft = 1,
    /// <summary>2: mirrored left to right.</summary>
    TopRight = 2,
    /// <summary>3: upside down; turned 180°.</summary>
    BottomRight = 3,
    /// <summary>4: mirrored top to bottom.</summary>
    BottomLeft = 4,
    /// <summary>5: mirrored about the main diagonal (transposed).</summary>
    LeftTop = 5,
    /// <summary>6: its top at the left; turned 90° clockwise to be upright.</summary>
    RightTop = 6,
    /// <summary>7: mirrored about the other diagonal (transversed).</summary>
    RightBottom = 7,
    /// <summary>8: its top at the right; turned 90° counter-clockwise to be upright.</summary>
    LeftBottom = 8,
}

/// <summary>Turns a stored image upright by its <see cref="ExifOrientation"/>.</summary>
internal static class ImageOrientation
{
    /// <summary>What <see cref="Upright"/> does for <paramref name="orientation"/>, for the console.</summary>
    public static string Describe(ExifOrientation orientation) => orientation switch
    {
        ExifOrientation.Undefined => "an EXIF orientation EXIF does not define: used as stored",
        ExifOrientation.TopLeft => "EXIF orientation 1: upright as stored",
        ExifOrientation.TopRight => "EXIF orientation 2: mirrored left to right",
        ExifOrientation.BottomRight => "EXIF orientation 3: turned 180°",
        ExifOrientation.BottomLeft => "EXIF orientation 4: mirrored top to bottom",
        ExifOrientation.LeftTop => "EXIF orientation 5: transposed",
        ExifOrientation.RightTop => "EXIF orientation 6: turned 90° clockwise",
        ExifOrientation.RightBottom => "EXIF orientation 7: transversed",
        ExifOrientation.LeftBottom => "EXIF orientation 8: turned 90° counter-clockwise",
        _ => throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "not an ExifOrientation"),
    };

    /// <summary>The stored <paramref name="image"/> as it is to be seen: width and height swap for orientations 5 to 8.</summary>
    public static GrayImage Upright(GrayImage image, ExifOrientation orientation)
    {
        if (orientation == ExifOrientation.TopLeft) return image;
        if (orientation == ExifOrientation.Undefined) return image with { TurnedBy = orientation };
        int w = image.Width, h = image.Height;
        bool swaps = orientation >= ExifOrientation.LeftTop;
        int outWidth = swaps ? h : w, outHeight = swaps ? w : h;
        var pixels = new float[w * h];
        for (int y = 0; y < outHeight; y++)
        for (int x = 0; x < outWidth; x++)
        {
            // The stored pixel that lands at (x, y) of the upright image.
            (int sx, int sy) = orientation switch
            {
                ExifOrientation.TopRight => (w - 1 - x, y),
                ExifOrientation.BottomRight => (w - 1 - x, h - 1 - y),
                ExifOrientation.BottomLeft => (x, h - 1 - y),
                ExifOrientation.LeftTop => (y, x),
                ExifOrientation.RightTop => (y, h - 1 - x),
                ExifOrientation.RightBottom => (w - 1 - y, h - 1 - x),
                ExifOrientation.LeftBottom => (w - 1 - y, x),
                _ => throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "EXIF defines orientations 1 to 8"),
            };
            pixels[y * outWidth + x] = image.Pixels[sy * w + sx];
        }
        return new GrayImage(outWidth, outHeight, pixels, orientation);
    }
}
