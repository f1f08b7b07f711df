using System.Runtime.ExceptionServices;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Threads a session keeps to run the parts of one batch at once. The calling thread and the workers claim parts one
/// by one from a shared counter, so a worker that wakes late (the OS takes tens of microseconds to wake a parked
/// thread) leaves its parts to the caller instead of making it wait: a run is never much slower than the caller alone.
/// One run uses the team at a time; a caller that finds it busy is told so (<see cref="TryAcquire"/>) and runs its batch
/// alone. Dispatch allocates nothing: the work is a delegate made once, and the parts' data lies in the caller's fields,
/// which the team's gate guards.
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private readonly Action<int> _work;
    private int _gate;
    private int _run;
    private int _parts;
    private long _ticket; // the run's number in the high half, its next unclaimed part in the low half
    private int _completed;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <summary>Starts <paramref name="workers"/> threads that will run <paramref name="work"/> on the parts they claim.</summary>
    public WorkerTeam(int workers, Action<int> work)
    {
        _work = work;
        _workers = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Serve) { IsBackground = true, Name = $"elr worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>The threads of the team: the workers and the caller.</summary>
    public int Threads => _workers.Length + 1;

    /// <summary>Takes the team for one run if no other run has it; pair with <see cref="Release"/>.</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref _gate, 1, 0) == 0;

    /// <summary>Gives the team back.</summary>
    public void Release() => Volatile.Write(ref _gate, 0);

    /// <summary>Runs parts 0 to <paramref name="parts"/> - 1 and returns when all are done; the first failure is rethrown
    /// after every part has finished (the parts may use memory the caller frees on return).</summary>
    public void Run(int parts)
    {
        _failure = null;
        _parts = parts;
        _completed = 0;
        _done.Reset();
        int run = _run + 1;
        Volatile.Write(ref _run, run);
        // Publishing the ticket opens the run: a worker still awake from the last run may claim a part from here on,
        // and then reads the fields written above.
        Interlocked.Exchange(ref _ticket, (long)run << 32);
        _wake.Release(Math.Min(parts - 1, _workers.Length));
        ClaimParts();
        _done.Wait();
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    private void ClaimParts()
    {
        while (true)
        {
            long ticket = Interlocked.Increment(ref _ticket) - 1;
            // A ticket of a run that is over (a worker woken late, or for a run the caller finished alone) claims nothing.
            // A ticket of the current run keeps that run, and so its part count, from ending before the part is done.
            if ((int)(ticket >> 32) != Volatile.Read(ref _run)) return;
            int part = (int)ticket, parts = _parts;
            if (part >= parts) return;
            try
            {
                _work(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            if (Interlocked.Increment(ref _completed) == parts) _done.Set();
        }
    }

    private void Serve()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopping) return;
            ClaimParts();
        }
    }

    /// <summary>Stops the workers once they are idle.</summary>
    public void Dispose()
    {
        _stopping = true;
        _wake.Release(_workers.Length);
        foreach (Thread worker in _workers) worker.Join();
        _wake.Dispose();
        _done.Dispose();
    }
}
