using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Per-channel sums over the rows of channels-last data (rows = samples × pixels, each row one value per channel), for batch
/// norm's statistics and its γ and β gradients. Rows are summed in float within fixed blocks of <see cref="BlockRows"/>, the
/// blocks on the threads side by side, and the blocks' sums are added in block order in double: the cut depends on the row
/// count alone, so the sums are bit-identical on any number of threads, and no float sum runs over more than a block.
/// </summary>
internal sealed class ChannelSums(int channels)
{
    /// <summary>Rows per block: enough to amortize the fork and join, few enough to keep each float sum short.</summary>
    public const int BlockRows = 256;

    private float[] _partials = [];

    /// <summary>The number of blocks <paramref name="rows"/> rows make.</summary>
    public static int Blocks(int rows) => (rows + BlockRows - 1) / BlockRows;

    /// <summary>sums[c] = Σ_rows x[row, c], or Σ_rows x[row, c]·y[row, c] when <paramref name="y"/> is given.</summary>
    public void Sum(float[] x, float[]? y, int rows, ComputeThreads threads, double[] sums)
    {
        int blocks = Blocks(rows);
        if (_partials.Length < blocks * channels) _partials = new float[blocks * channels];
        threads.ForEach(blocks, b =>
        {
            Span<float> partial = _partials.AsSpan(b * channels, channels);
            partial.Clear();
            for (int r = b * BlockRows, end = Math.Min(rows, r + BlockRows); r < end; r++)
            {
                ReadOnlySpan<float> row = x.AsSpan(r * channels, channels);
                if (y is null) TensorPrimitives.Add(partial, row, partial);
                else TensorPrimitives.MultiplyAdd(row, y.AsSpan(r * channels, channels), partial, partial);
            }
        });
        Array.Clear(sums);
        for (int b = 0; b < blocks; b++)
            for (int c = 0; c < channels; c++) sums[c] += _partials[b * channels + c];
    }

    /// <summary>Runs <paramref name="row"/>(r) for every row r &lt; <paramref name="rows"/>, block by block on the threads
    /// (each row is computed by itself, so the thread count changes nothing).</summary>
    public static void ForRows(int rows, ComputeThreads threads, Action<int> row) =>
        threads.ForEach(Blocks(rows), b =>
        {
            for (int r = b * BlockRows, end = Math.Min(rows, r + BlockRows); r < end; r++) row(r);
        });
}
