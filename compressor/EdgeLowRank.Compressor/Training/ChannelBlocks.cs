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
/// <para>Nothing is allocated per call once the scratch fits the thread count: the delegates the threads run are made once,
/// and read the call's operands from fields (a lambda capturing them would be a new closure on every training step).</para>
/// </summary>
internal sealed class ChannelBlocks
{
    /// <summary>Rows per block: enough to amortize the fork and join and the calls, few enough to stay in cache. The sums'
    /// rounding depends on it, so changing it changes trained weights.</summary>
    public const int BlockRows = 256;

    private readonly int _channels;
    private readonly float[][] _tiles;
    private readonly Action<int, int> _sumBlock;
    private readonly Action<int> _passBlock;
    private float[] _partials = [];
    private float[][] _scratch = [];

    // The operands of the Sum or ForBlocks call in progress.
    private float[] _x = [];
    private float[]? _y;
    private int _rows;
    private Action<int, int>? _pass;

    public ChannelBlocks(int channels)
    {
        _channels = channels;
        _tiles = [new float[BlockRows * channels], new float[BlockRows * channels], new float[BlockRows * channels]];
        _sumBlock = SumBlock;
        _passBlock = PassBlock;
    }

    /// <summary>sums[c] = Σ_rows x[row, c], or Σ_rows x[row, c]·y[row, c] when <paramref name="y"/> is given.</summary>
    public void Sum(float[] x, float[]? y, int rows, ComputeThreads threads, double[] sums)
    {
        int blocks = Blocks(rows);
        if (_partials.Length < blocks * _channels) _partials = new float[blocks * _channels];
        if (_scratch.Length < threads.Count) _scratch = [.. Enumerable.Range(0, threads.Count).Select(_ => new float[BlockRows * _channels])];
        (_x, _y, _rows) = (x, y, rows);
        threads.ForItems(blocks, _sumBlock);
        Array.Clear(sums);
        for (int b = 0; b < blocks; b++)
            for (int c = 0; c < _channels; c++) sums[c] += _partials[b * _channels + c];
    }

    /// <summary>Fills tile <paramref name="slot"/> (0 to 2) with <paramref name="perChannel"/> repeated for every row of a block
    /// of a pass over <paramref name="rows"/> rows (fewer than a block when the pass is shorter), so an element-wise pass over a
    /// block's rows is one vector operation; <see cref="Tiled"/> reads it.</summary>
    public void Tile(int slot, float[] perChannel, int rows)
    {
        Span<float> tile = _tiles[slot].AsSpan(0, Math.Min(rows, BlockRows) * _channels);
        perChannel.AsSpan(0, _channels).CopyTo(tile);
        // Doubling the filled part: a copy per row would be 256 calls of 16 floats each for a full block.
        for (int filled = _channels; filled < tile.Length; filled *= 2)
            tile[..Math.Min(filled, tile.Length - filled)].CopyTo(tile[filled..]);
    }

    /// <summary>The first <paramref name="length"/> values of tile <paramref name="slot"/>: the per-channel factors lined up
    /// with a block's values.</summary>
    public ReadOnlySpan<float> Tiled(int slot, int length) => _tiles[slot].AsSpan(0, length);

    /// <summary>Runs <paramref name="pass"/>(first value, values) over the rows block by block on the threads (each row is
    /// computed by itself, so the thread count changes nothing); a block's values line up with the tiles. Pass a delegate made
    /// once, not a lambda that captures: that would allocate a closure on every call.</summary>
    public void ForBlocks(int rows, ComputeThreads threads, Action<int, int> pass)
    {
        (_rows, _pass) = (rows, pass);
        threads.ForEach(Blocks(rows), _passBlock);
    }

    private void SumBlock(int worker, int b)
    {
        int start = b * BlockRows, count = Math.Min(BlockRows, _rows - start);
        Span<float> block = _scratch[worker].AsSpan(0, count * _channels);
        if (_y is null) _x.AsSpan(start * _channels, block.Length).CopyTo(block);
        else TensorPrimitives.Multiply(_x.AsSpan(start * _channels, block.Length), _y.AsSpan(start * _channels, block.Length), block);
        // Pairwise: the last ⌊n/2⌋ rows are added onto the first, until one row is left.
        for (int n = count; n > 1; n -= n / 2)
        {
            int half = n / 2;
            TensorPrimitives.Add(block[..(half * _channels)], block.Slice((n - half) * _channels, half * _channels), block[..(half * _channels)]);
        }
        block[.._channels].CopyTo(_partials.AsSpan(b * _channels, _channels));
    }

    private void PassBlock(int b) => _pass!(b * BlockRows * _channels, Math.Min(BlockRows, _rows - b * BlockRows) * _channels);

    private static int Blocks(int rows) => (rows + BlockRows - 1) / BlockRows;
}
