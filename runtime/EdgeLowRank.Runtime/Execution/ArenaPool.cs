namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Lends arenas to concurrent runs of one session. A few slots are swapped lock-free with
/// <see cref="Interlocked"/>; the first arena is made up front, so a single thread never allocates.
/// When more threads run at once than there are free arenas, a new arena is made (one allocation)
/// and kept if a slot is free on return, so a steady number of threads settles at zero allocations.
/// </summary>
internal sealed class ArenaPool : IDisposable
{
    private readonly MemoryPlan _plan;
    private readonly Arena?[] _slots;

    public ArenaPool(MemoryPlan plan)
    {
        _plan = plan;
        _slots = new Arena?[Math.Max(2, Environment.ProcessorCount)];
        _slots[0] = new Arena(plan);
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
