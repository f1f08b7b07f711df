namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// The elr_session pointers C holds: numbers that name open sessions, never reused while the process lives. A pointer
/// to a closed session, or one elr_session_open never returned, is refused as an argument error instead of reaching
/// another session whose handle took its place (as a recycled GC handle or a freed address would).
/// </summary>
/// <remarks>Session n is slot n of an array, so a run finds its session with one bounds-checked read; a concurrent
/// dictionary took about 15 ns more per call (0.7% of LeNet-300-100 factorized at batch 1). The array keeps 8 bytes for
/// every session ever opened. A call holds the session it found (<see cref="SessionCall"/>) until it returns, and
/// <see cref="Close"/> empties the slot first and then waits for those calls, so a call on another thread either
/// finishes on the open session or is refused as one that is not open. The hold is two atomic adds on the session: the
/// elr_api_bench of scripts/bench-native-api.sh on lenet300-factorized at batch 1 (20,000 runs, four alternations of the
/// libraries before and after, 2026-12-07) gave p50s of 2.36–2.39 µs before and 2.35–2.40 µs after.</remarks>
internal static class SessionHandles
{
    // Handles are slot numbers times this, spaced like aligned addresses, so a small integer mixed up with a handle is refused.
    private const int Spacing = 16;

    private static readonly Lock Writing = new();
    private static OpenSession?[] s_slots = new OpenSession?[16];
    private static int s_used = 1; // slot 0 stays empty: handle 0 is NULL

    /// <summary>A new handle for <paramref name="session"/>.</summary>
    public static nint Create(OpenSession session)
    {
        lock (Writing)
        {
            if (s_used == s_slots.Length)
            {
                var larger = new OpenSession?[s_slots.Length * 2];
                s_slots.CopyTo(larger, 0);
                Volatile.Write(ref s_slots, larger);
            }
            s_slots[s_used] = session;
            return (nint)s_used++ * Spacing;
        }
    }

    /// <summary>The session behind <paramref name="handle"/>, held open until the call is disposed; NULL, a closed or
    /// closing session and anything else are argument errors.</summary>
    public static SessionCall Enter(nint handle)
    {
        if (handle == 0) throw new ApiArgumentException("session is NULL; pass a session elr_session_open returned.");
        OpenSession?[] slots = Volatile.Read(ref s_slots);
        nint slot = handle / Spacing;
        return handle % Spacing == 0 && slot > 0 && slot < slots.Length && Volatile.Read(ref slots[slot]) is { } session && session.TryEnter()
            ? new SessionCall(session)
            : throw new ApiArgumentException($"session 0x{handle:x} is not open: it was closed, or elr_session_open never returned it.");
    }

    /// <summary>Forgets the handle, so no new call finds the session, then waits for the calls that did and disposes it;
    /// NULL and handles of no open session do nothing.</summary>
    public static void Close(nint handle)
    {
        OpenSession? session;
        lock (Writing)
        {
            nint slot = handle / Spacing;
            if (handle % Spacing != 0 || slot <= 0 || slot >= s_slots.Length) return;
            session = s_slots[slot];
            s_slots[slot] = null;
        }
        session?.Dispose();
    }
}
