using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Threads a session keeps to run the parts of one piece of work at once: the samples of a batch, or the outputs of one
/// layer. The calling thread and the workers claim parts one
/// by one from a shared ticket, so a worker that wakes late (the OS takes tens of microseconds to wake a parked
/// thread) leaves its parts to the caller instead of making it wait: a run is never much slower than the caller alone.
/// One run uses the team at a time; a caller that finds it busy is told so (<see cref="TryAcquire"/>) and runs its batch
/// alone. Dispatch allocates nothing: the work is a delegate its owner made once, and the parts' data lies in the owner's
/// fields, which the team's gate guards. The team holds the delegate only during a run: parked threads are roots, and a
/// session they held would never be collected, nor its finalizer stop them, if its owner forgot to dispose it.
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ManualResetEventSlim _done = new(false);
    private Action<int, int>? _work;
    private int _gate;
    private long _runParts; // the current run's number in the high half, its part count in the low half: read as one
    private long _ticket;   // the current run's number in the high half, its next unclaimed part in the low half
    private int _completed;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <summary>How long a thread out of parts keeps looking before it blocks: a worker for the next run, the caller for
    /// the last part. A run whose layers are split gives the team work every few hundred microseconds, and waking a
    /// blocked thread takes tens of them, each time.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>Starts <paramref name="workers"/> threads that will run the parts they claim.</summary>
    /// <exception cref="OutOfMemoryException">A thread could not be started; those that were are stopped.</exception>
    public WorkerTeam(int workers)
    {
        _workers = new Thread[workers];
        int started = 0;
        try
        {
            for (; started < workers; started++)
            {
                _workers[started] = new Thread(Serve) { IsBackground = true, Name = $"elr worker {started + 1}" };
                _workers[started].Start();
            }
        }
        catch
        {
            Stop(started);
            throw;
        }
    }

    /// <summary>The threads of the team: the workers and the caller.</summary>
    public int Threads => _workers.Length + 1;

    /// <summary>How many runs the team has made: what tests count to see work was shared, not merely computed right.</summary>
    public long Runs { get; private set; }

    /// <summary>Takes the team for one run if no other run has it; pair with <see cref="Release"/>.</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref _gate, 1, 0) == 0;

    /// <summary>Gives the team back.</summary>
    public void Release() => Volatile.Write(ref _gate, 0);

    /// <summary>Runs <paramref name="work"/>(part, <paramref name="parts"/>) for parts 0 to <paramref name="parts"/> - 1 and
    /// returns when all are done; the first failure is rethrown after every part has finished (the parts may use memory
    /// the caller frees on return).</summary>
    public void Run(int parts, Action<int, int> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        _work = work;
        Runs++; // only the run holding the gate writes it
        _failure = null;
        _completed = 0;
        _done.Reset();
        int run = (int)(_runParts >> 32) + 1;
        // The run and its part count in one word, so a worker holding a ticket of the last run never pairs it with this
        // run's count. Then the ticket opens the run: a worker may claim a part from here on, and reads all written above.
        Volatile.Write(ref _runParts, (long)run << 32 | (uint)parts);
        Interlocked.Exchange(ref _ticket, (long)run << 32);
        if (parts > 1) _wake.Release(Math.Min(parts - 1, _workers.Length));
        ClaimParts();
        WaitForAllParts(parts);
        _work = null; // no part of this run is left to read it: a late worker's ticket claims nothing (see ClaimParts)
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    private void ClaimParts()
    {
        while (true)
        {
            long ticket = Interlocked.Increment(ref _ticket) - 1;
            long current = Volatile.Read(ref _runParts);
            // A ticket of a run that is over (a worker woken late, or for a run the caller finished alone) claims nothing.
            // A ticket of the current run keeps that run, and so its part count, from ending before the part is done.
            if ((int)(ticket >> 32) != (int)(current >> 32)) return;
            int part = (int)ticket, parts = (int)current;
            if (part >= parts) return;
            try
            {
                _work!(part, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            if (Interlocked.Increment(ref _completed) == parts) _done.Set();
        }
    }

    /// <summary>Waits for the last part even if the calling thread is interrupted meanwhile: the parts use the caller's
    /// pinned buffers, which must not be released under them.</summary>
    private void WaitForAllParts(int parts)
    {
        for (long deadline = Stopwatch.GetTimestamp() + SpinTicks; Volatile.Read(ref _completed) < parts && Stopwatch.GetTimestamp() < deadline;)
            Thread.SpinWait(20);
        ThreadInterruptedException? interrupted = null;
        while (true)
        {
            try
            {
                _done.Wait();
                break;
            }
            catch (ThreadInterruptedException e)
            {
                interrupted = e;
            }
        }
        if (interrupted is not null) ExceptionDispatchInfo.Throw(interrupted);
    }

    private void Serve()
    {
        while (true)
        {
            int lastRun = (int)(Volatile.Read(ref _runParts) >> 32);
            for (long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                 (int)(Volatile.Read(ref _runParts) >> 32) == lastRun && !_stopping && Stopwatch.GetTimestamp() < deadline;)
                Thread.SpinWait(20);
            _wake.Wait(); // at once if a run began meanwhile: it released a permit for this worker
            if (_stopping) return;
            ClaimParts();
        }
    }

    /// <summary>Stops the workers; the caller makes sure no run is in progress (it holds the gate).</summary>
    public void Dispose() => Stop(_workers.Length);

    private void Stop(int started)
    {
        _stopping = true;
        if (started > 0) _wake.Release(started);
        for (int i = 0; i < started; i++) _workers[i].Join();
        _wake.Dispose();
        _done.Dispose();
    }
}
