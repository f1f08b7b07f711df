using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// The elr_session pointers C holds: a GC handle to the <see cref="InferenceSession"/>, which keeps it alive and in
/// place until elr_session_close frees the handle. A pointer that is not a live handle is the caller's bug, as a freed
/// pointer passed to free() is; only NULL can be told apart, and is refused.
/// </summary>
internal static class SessionHandles
{
    /// <summary>A new handle for <paramref name="session"/>.</summary>
    public static nint Create(InferenceSession session) => GCHandle.ToIntPtr(GCHandle.Alloc(session));

    /// <summary>The session behind <paramref name="handle"/>; NULL is an argument error.</summary>
    public static InferenceSession Get(nint handle) =>
        handle == 0 ? throw new ApiArgumentException("session is NULL; pass a session elr_session_open returned.")
            : (InferenceSession)GCHandle.FromIntPtr(handle).Target!;

    /// <summary>Disposes the session and frees its handle; NULL does nothing.</summary>
    public static void Close(nint handle)
    {
        if (handle == 0) return;
        GCHandle gcHandle = GCHandle.FromIntPtr(handle);
        ((InferenceSession)gcHandle.Target!).Dispose();
        gcHandle.Free();
    }
}
