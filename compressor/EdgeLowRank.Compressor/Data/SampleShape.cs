namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The shape of one sample, channels-last (height, width, channels): MNIST is 28×28×1,
/// the UCI digits 8×8×1. Pixels of one sample are stored row by row, channels innermost.
/// </summary>
public readonly record struct SampleShape
{
    /// <summary>Creates a shape; every dimension must be positive.</summary>
    public SampleShape(int height, int width, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>Rows of pixels.</summary>
    public int Height { get; }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Values per pixel (1 for grey images).</summary>
    public int Channels { get; }

    /// <summary>Values in one sample: height × width × channels.</summary>
    public int Size => checked(Height * Width * Channels);

    /// <summary>"28×28×1".</summary>
    public override string ToString() => $"{Height}×{Width}×{Channels}";
}
