using System.Collections.Concurrent;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// The elr_session pointers C holds: numbers that name open sessions, never reused while the process lives. A pointer
/// to a closed session, or one elr_session_open never returned, is refused as an argument error instead of reaching
/// another session whose handle took its place (as a recycled GC handle or a freed address would).
/// </summary>
internal static class SessionHandles
{
    private static readonly ConcurrentDictionary<nint, InferenceSession> Open = new();
    private static long s_last;

    /// <summary>A new handle for <paramref name="session"/>.</summary>
    public static nint Create(InferenceSession session)
    {
        // Spaced like aligned addresses, so a handle never looks like a small integer a caller mixed up with it.
        var handle = (nint)(Interlocked.Increment(ref s_last) * 16);
        Open[handle] = session;
        return handle;
    }

    /// <summary>The session behind <paramref name="handle"/>; NULL, a closed session and anything else are argument errors.</summary>
    public static InferenceSession Get(nint handle) =>
        handle == 0 ? throw new ApiArgumentException("session is NULL; pass a session elr_session_open returned.")
        : Open.TryGetValue(handle, out InferenceSession? session) ? session
        : throw new ApiArgumentException($"session 0x{handle:x} is not open: it was closed, or elr_session_open never returned it.");

    /// <summary>Disposes the session and forgets its handle; NULL and handles of no open session do nothing.</summary>
    public static void Close(nint handle)
    {
        if (Open.TryRemove(handle, out InferenceSession? session)) session.Dispose();
    }
}
