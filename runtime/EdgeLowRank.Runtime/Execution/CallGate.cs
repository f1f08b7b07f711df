namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// Counts the calls inside an object that may be disposed while other threads use it, so that disposing waits for them
/// and refuses new ones: an <see cref="InferenceSession"/> disposed during a run on another thread freed the arenas and
/// weights under it (a user trial: an access violation in the GEMM kernel, the process killed, 6 runs of 9), and libelr's
/// elr_session_close waits the same way. Entering is one atomic add, and allocates nothing.
/// </summary>
internal sealed class CallGate
{
    // Set in _calls once closing has begun: the count and this flag share one word, so of a call entering and a close
    // beginning at once, one always sees the other (the call the flag, the close the count).
    private const int Closing = int.MinValue;

    // The calls inside (between TryEnter and Leave), plus Closing.
    private int _calls;

    /// <summary>Counts a call in, unless closing has begun (false: the call must not touch the object).</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _calls) > 0) return true;
        Interlocked.Decrement(ref _calls);
        return false;
    }

    /// <summary>Ends a call <see cref="TryEnter"/> counted.</summary>
    public void Leave() => Interlocked.Decrement(ref _calls);

    /// <summary>Refuses new calls and waits for those inside to leave; true for the first close, which frees what the calls
    /// used. A close that comes second waits too: its caller may free what it owns next (a session's model, after disposing
    /// the session from two threads at once: a verification trial's process died of an access violation, 2 runs of 5).</summary>
    public bool Close()
    {
        bool first = Interlocked.Or(ref _calls, Closing) >= 0;
        // A run takes microseconds to milliseconds: SpinWait soon yields and then sleeps, leaving the cores to the runs.
        var wait = new SpinWait();
        while (Volatile.Read(ref _calls) != Closing) wait.SpinOnce();
        return first;
    }
}
