namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Lends arenas to concurrent runs of one session. A few slots are swapped lock-free with
/// <see cref="Interlocked"/>; the arenas for the expected number of concurrent runs are made up front, so those never allocate.
/// When more threads run at once than there are free arenas, a new arena is made (one allocation)
/// and kept if a slot is free on return, so a steady number of threads settles at zero allocations.
/// </summary>
internal sealed class ArenaPool : IDisposable
{
    private readonly MemoryPlan _plan;
    private readonly Arena?[] _slots;

    /// <summary>Makes <paramref name="preallocated"/> arenas now, and keeps up to <paramref name="spare"/> more that
    /// busier moments make.</summary>
    /// <exception cref="InsufficientMemoryException">The arenas need more memory than this process may use, or allocating
    /// them failed; the message says how much for how many samples a pass.</exception>
    public ArenaPool(MemoryPlan plan, int preallocated, int spare)
    {
        _plan = plan;
        // Checked before any is made: an arena is cleared as it is made, so memory the machine does not have would be touched
        // page by page until the kernel killed the process (or another one) without a word. A model file of two kilobytes
        // can ask for gigabytes (a trial's chain of Concat layers: 2.5 GB for passes of 64 samples).
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && preallocated > 0 && plan.ArenaBytes > available / preallocated) // the product could overflow a long
            throw new InsufficientMemoryException(Needs(preallocated, $"more than the {Mebibytes(available)} this process may use "
                + "(the machine's memory, or a container's limit)"));
        _slots = new Arena?[preallocated + spare];
        try
        {
            for (int i = 0; i < preallocated; i++) _slots[i] = new Arena(plan);
        }
        catch (OutOfMemoryException e)
        {
            Dispose();
            throw new InsufficientMemoryException(Needs(preallocated, "but allocating it failed (a ulimit -v, or other programs' memory)"), e);
        }
    }

    /// <summary>What <paramref name="arenas"/> arenas of this plan need, and why they cannot have it.</summary>
    private string Needs(int arenas, string limit) =>
        $"a session for this model with passes of {(_plan.MaxBatchSize == 1 ? "one sample" : $"up to {_plan.MaxBatchSize:N0} samples")} needs "
        + $"{arenas:N0} arena{(arenas == 1 ? "" : "s")} of {Mebibytes(_plan.ArenaBytes)} of activation memory, {limit}. "
        + (_plan.MaxBatchSize == 1 && arenas == 1
            ? "One sample of this model needs that much: it is too large for this machine (elr-run info shows a model's activation memory)."
            : "Run fewer samples a pass (SessionOptions.MaxBatchSize, libelr's max_batch_size, --batch) or on fewer threads.");

    private static string Mebibytes(long bytes) => $"{bytes / 1048576.0:N1} MiB";

    public Arena Rent()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            Arena? arena = Interlocked.Exchange(ref _slots[i], null);
            if (arena is not null) return arena;
        }
        return new Arena(_plan);
    }

    public void Return(Arena arena)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], arena, null) is null) return;
        }
        arena.Dispose();
    }

    public void Dispose()
    {
        for (int i = 0; i < _slots.Length; i++)
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
    }
}
