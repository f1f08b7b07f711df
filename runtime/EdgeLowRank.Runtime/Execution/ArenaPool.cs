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
    public ArenaPool(MemoryPlan plan, int preallocated, int spare)
    {
        _plan = plan;
        _slots = new Arena?[preallocated + spare];
        for (int i = 0; i < preallocated; i++) _slots[i] = new Arena(plan);
    }

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
