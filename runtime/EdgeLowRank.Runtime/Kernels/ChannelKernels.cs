namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The channel moves of a slice and a shuffle, row by row (a pixel of a channels-last image, or a vector). They
/// only move data: a slice copies each row's run with <see cref="Span{T}.CopyTo(Span{T})"/>, which moves vectors at a
/// time; a shuffle deals one element at a time.</summary>
public static class ChannelKernels
{
    /// <summary>y[row] = x[row][start … start + count − 1] for every row of <paramref name="channels"/> floats.</summary>
    /// <exception cref="ArgumentException">The lengths do not hold the same number of rows, or the run leaves the row.</exception>
    public static void Slice(ReadOnlySpan<float> x, int channels, int start, int count, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (start < 0 || (long)start + count > channels)
            throw new ArgumentException($"A slice of channels {start} to {(long)start + count - 1} does not fit rows of {channels}.");
        int rows = Rows(x, channels, y, count);
        for (int row = 0; row < rows; row++)
            x.Slice(row * channels + start, count).CopyTo(y.Slice(row * count, count));
    }

    /// <summary>y[row][i·groups + k] = x[row][k·(channels/groups) + i] for every row of <paramref name="channels"/> floats.</summary>
    /// <exception cref="ArgumentException">The groups do not divide the channels, or the lengths differ.</exception>
    public static void Shuffle(ReadOnlySpan<float> x, int channels, int groups, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (channels % groups != 0)
            throw new ArgumentException($"A shuffle of {groups} groups needs a multiple of {groups} channels, not {channels}.");
        int rows = Rows(x, channels, y, channels), perGroup = channels / groups;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> from = x.Slice(row * channels, channels);
            Span<float> to = y.Slice(row * channels, channels);
            for (int k = 0; k < groups; k++)
                for (int i = 0; i < perGroup; i++)
                    to[i * groups + k] = from[k * perGroup + i];
        }
    }

    /// <summary>The rows <paramref name="x"/> holds, which <paramref name="y"/> must hold as rows of <paramref name="outputWidth"/>.</summary>
    private static int Rows(ReadOnlySpan<float> x, int channels, Span<float> y, int outputWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        int rows = x.Length / channels;
        if (x.Length != (long)rows * channels || y.Length != (long)rows * outputWidth)
            throw new ArgumentException($"Rows of {channels} floats in and {outputWidth} out: x has {x.Length} floats, y {y.Length}.");
        return rows;
    }
}
