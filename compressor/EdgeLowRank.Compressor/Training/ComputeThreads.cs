namespace EdgeLowRank.Compressor.Training;

/// <summary>
/// How many threads the training kernels use, and how work is cut between them. Every cut is made
/// so that the numbers do not depend on the thread count: rows of a GEMM are computed independently
/// (each output element is one reduction in a fixed order), and row chunks are whole multiples of
/// <see cref="RowBlock"/> rows, so a chunk never falls back to the batch-1 GEMV, which sums in a different order.
/// </summary>
public sealed class ComputeThreads
{
    /// <summary>
    /// The rows a chunk is a multiple of: at least the runtime's GEMM minimum batch (2), so no chunk takes the GEMV, and the
    /// block height of its 256-bit and AdvSimd micro-kernels (6; the 512-bit one takes 8), so their chunks have no partial block.
    /// </summary>
    private const int RowBlock = 6;

    private readonly ParallelOptions _options;

    /// <summary>Uses <paramref name="count"/> threads (at least 1).</summary>
    public ComputeThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
        _options = new ParallelOptions { MaxDegreeOfParallelism = count };
    }

    /// <summary>One thread: what each shard of a batch runs its layers with.</summary>
    internal static ComputeThreads Single { get; } = new(1);

    /// <summary>The number of threads.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="body"/>(start, count) over row ranges covering 0..<paramref name="rows"/>, one per thread.</summary>
    public void ForRows(int rows, Action<int, int> body)
    {
        int blocks = rows / RowBlock;
        int chunks = Math.Min(Count, Math.Max(1, blocks));
        if (chunks == 1) body(0, rows);
        else ForChunks(rows, blocks, chunks, body);
    }

    /// <summary>Runs <paramref name="body"/>(item) for every item, handing items to whichever thread is free
    /// (the items must not depend on which thread runs them or in which order).</summary>
    public void ForEach(int items, Action<int> body)
    {
        if (Count == 1 || items <= 1)
        {
            for (int i = 0; i < items; i++) body(i);
            return;
        }
        Parallel.For(0, items, _options, body);
    }

    /// <summary>Runs <paramref name="body"/>(worker, item) for every item, worker w taking items w, w + Count, …,
    /// so a worker can own scratch memory indexed by its number.</summary>
    public void ForItems(int items, Action<int, int> body)
    {
        int workers = Math.Min(Count, items);
        if (workers <= 1)
        {
            for (int i = 0; i < items; i++) body(0, i);
            return;
        }
        ForWorkers(items, workers, body);
    }

    // The forks are methods of their own: the closure their lambda captures is allocated on entry to the method that declares
    // the captured variables, so in ForRows and ForItems it cost an allocation on every call, even one that runs inline.

    private void ForChunks(int rows, int blocks, int chunks, Action<int, int> body) =>
        Parallel.For(0, chunks, _options, chunk =>
        {
            int start = blocks * chunk / chunks * RowBlock;
            int end = chunk == chunks - 1 ? rows : blocks * (chunk + 1) / chunks * RowBlock;
            body(start, end - start);
        });

    private void ForWorkers(int items, int workers, Action<int, int> body) =>
        Parallel.For(0, workers, _options, worker =>
        {
            for (int i = worker; i < items; i += workers) body(worker, i);
        });
}
