using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>The channel moves of a slice and a shuffle, row by row (a pixel of a channels-last image, or a vector). They
/// only move data: a slice copies each row's run with <see cref="Span{T}.CopyTo(Span{T})"/>, which moves vectors at a
/// time. A shuffle of two groups, ShuffleNet's, interleaves the row's two halves four channels at a time (SSE's unpack,
/// AdvSimd's zip); other group counts, and the <see cref="ShuffleReference"/> oracle, deal one element at a time, whose
/// strided stores took a ShuffleNet unit's shuffle twice as long as the Concat before it.</summary>
internal static class ChannelKernels
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

    /// <summary>y[row][i·groups + k] = x[row][k·(channels/groups) + i] for every row of <paramref name="channels"/> floats;
    /// <paramref name="y"/> must not overlap <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">The groups do not divide the channels, or the lengths differ.</exception>
    public static void Shuffle(ReadOnlySpan<float> x, int channels, int groups, Span<float> y)
    {
        int rows = CheckShuffle(x, channels, groups, y);
        if (groups != 2 || !(Sse.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            Deal(x, channels, groups, y, rows);
            return;
        }
        int half = channels / 2;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> first = x.Slice(row * channels, half), second = x.Slice(row * channels + half, half);
            Span<float> to = y.Slice(row * channels, channels);
            int i = 0;
            for (; i <= half - 4; i += 4)
            {
                Vector128<float> a = Vector128.Create(first.Slice(i, 4)), b = Vector128.Create(second.Slice(i, 4));
                (Vector128<float> low, Vector128<float> high) = Sse.IsSupported
                    ? (Sse.UnpackLow(a, b), Sse.UnpackHigh(a, b))
                    : (AdvSimd.Arm64.ZipLow(a, b), AdvSimd.Arm64.ZipHigh(a, b));
                low.CopyTo(to.Slice(2 * i, 4));
                high.CopyTo(to.Slice(2 * i + 4, 4));
            }
            for (; i < half; i++)
            {
                to[2 * i] = first[i];
                to[2 * i + 1] = second[i];
            }
        }
    }

    /// <summary>The same, one element at a time, for any group count: the scalar oracle and the
    /// <see cref="KernelPath.Scalar"/> path.</summary>
    internal static void ShuffleReference(ReadOnlySpan<float> x, int channels, int groups, Span<float> y) =>
        Deal(x, channels, groups, y, CheckShuffle(x, channels, groups, y));

    /// <summary>The rows of a valid shuffle.</summary>
    private static int CheckShuffle(ReadOnlySpan<float> x, int channels, int groups, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (channels % groups != 0)
            throw new ArgumentException($"A shuffle of {groups} groups needs a multiple of {groups} channels, not {channels}.");
        return Rows(x, channels, y, channels);
    }

    private static void Deal(ReadOnlySpan<float> x, int channels, int groups, Span<float> y, int rows)
    {
        int perGroup = channels / groups;
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
