namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The channel concatenation: row by row (a pixel of a channels-last image, or a vector), the first tensor's
/// channels and then the second's. It only moves data, so there is no arithmetic to vectorize: each row's copy is a
/// <see cref="Span{T}.CopyTo(Span{T})"/>, which moves vectors at a time on every path.</summary>
internal static class ConcatKernel
{
    /// <summary>y[row] = [first[row], second[row]] for every row: rows of <paramref name="firstChannels"/> and
    /// <paramref name="secondChannels"/> floats in, of their sum out.</summary>
    /// <exception cref="ArgumentException">The spans do not hold the same number of rows of those widths.</exception>
    public static void Run(ReadOnlySpan<float> first, int firstChannels, ReadOnlySpan<float> second, int secondChannels, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(secondChannels);
        int width = firstChannels + secondChannels;
        int rows = first.Length / firstChannels;
        if (first.Length != (long)rows * firstChannels || second.Length != (long)rows * secondChannels || y.Length != (long)rows * width)
            throw new ArgumentException($"A Concat of rows of {firstChannels} and {secondChannels} floats takes the same number of rows of each: the first has {first.Length} floats, the second {second.Length}, y {y.Length}.");
        for (int row = 0; row < rows; row++)
        {
            Span<float> target = y.Slice(row * width, width);
            first.Slice(row * firstChannels, firstChannels).CopyTo(target);
            second.Slice(row * secondChannels, secondChannels).CopyTo(target[firstChannels..]);
        }
    }
}
