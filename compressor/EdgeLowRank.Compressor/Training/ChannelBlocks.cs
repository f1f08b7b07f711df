using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// Per-channel work over the rows of channels-last data (rows = samples × pixels, each row one value per channel), for batch
/// norm: sums for its statistics and its γ and β gradients, and element-wise passes with per-channel factors. Both go block
/// by block, <see cref="BlockRows"/> rows at a time, the blocks on the threads side by side; the cut depends on the row count
/// alone, so the results are bit-identical on any number of threads.
/// <para>A block is handled with a few long vector operations rather than one per row (a row of 16 channels is two vectors,
/// and a call per row cost more than its arithmetic): the per-channel factors are tiled to a block's length
/// (<see cref="Tile"/>), and a block's sum is a pairwise tree over its rows in scratch. The blocks' sums are added in block
/// order in double, so no float sum runs over more than a block.</para>
/// </summary>
internal sealed class ChannelBlocks(int channels)
{
    /// <summary>Rows per block: enough to amortize the fork and join and the calls, few enough to stay in cache.</summary>
    public const int BlockRows = 256;

    private float[] _partials = [];
    private float[][] _scratch = [];
    private readonly float[][] _tiles = [new float[BlockRows * channels], new float[BlockRows * channels], new float[BlockRows * channels]];

    /// <summary>sums[c] = Σ_rows x[row, c], or Σ_rows x[row, c]·y[row, c] when <paramref name="y"/> is given.</summary>
    public void Sum(float[] x, float[]? y, int rows, ComputeThreads threads, double[] sums)
    {
        int blocks = Blocks(rows);
        if (_partials.Length < blocks * channels) _partials = new float[blocks * channels];
        if (_scratch.Length < threads.Count) _scratch = [.. Enumerable.Range(0, threads.Count).Select(_ => new float[BlockRows * channels])];
        threads.ForItems(blocks, (worker, b) =>
        {
            int start = b * BlockRows, count = Math.Min(BlockRows, rows - start);
            Span<float> block = _scratch[worker].AsSpan(0, count * channels);
            if (y is null) x.AsSpan(start * channels, block.Length).CopyTo(block);
            else TensorPrimitives.Multiply(x.AsSpan(start * channels, block.Length), y.AsSpan(start * channels, block.Length), block);
            // Pairwise: the last ⌊n/2⌋ rows are added onto the first, until one row is left.
            for (int n = count; n > 1; n -= n / 2)
            {
                int half = n / 2;
                TensorPrimitives.Add(block[..(half * channels)], block.Slice((n - half) * channels, half * channels), block[..(half * channels)]);
            }
            block[..channels].CopyTo(_partials.AsSpan(b * channels, channels));
        });
        Array.Clear(sums);
        for (int b = 0; b < blocks; b++)
            for (int c = 0; c < channels; c++) sums[c] += _partials[b * channels + c];
    }

    /// <summary>Tile <paramref name="slot"/> (0 to 2): <paramref name="perChannel"/> repeated for every row of a block, so an
    /// element-wise pass over a block's rows is one vector operation.</summary>
    public float[] Tile(int slot, float[] perChannel)
    {
        float[] tile = _tiles[slot];
        for (int r = 0; r < BlockRows; r++) perChannel.AsSpan(0, channels).CopyTo(tile.AsSpan(r * channels));
        return tile;
    }

    /// <summary>Runs <paramref name="block"/>(first value, values) over the rows block by block on the threads (each row is
    /// computed by itself, so the thread count changes nothing); a block's values line up with the tiles.</summary>
    public void ForBlocks(int rows, ComputeThreads threads, Action<int, int> block) =>
        threads.ForEach(Blocks(rows), b => block(b * BlockRows * channels, Math.Min(BlockRows, rows - b * BlockRows) * channels));

    private static int Blocks(int rows) => (rows + BlockRows - 1) / BlockRows;
}
