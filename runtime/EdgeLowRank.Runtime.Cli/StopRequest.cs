namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// The first Ctrl+C or SIGTERM as a request to stop, for a command that can end at a clean point and report what it did so
/// far (<c>bench</c>, as ONNX Runtime's and TensorFlow Lite's benchmark tools are stopped and still asked for their numbers).
/// While such a command holds the scope <see cref="Accept"/> gives, the first signal only sets <see cref="Signal"/> and the
/// process goes on; a second one, or one outside the scope, ends the process at once with the signal's exit code (130, 143),
/// as for every other command: a user whose run is stuck in one long inference still has a way out, and so has a service
/// manager that sends SIGTERM twice.
/// </summary>
internal static class StopRequest
{
    private static int _accepting;
    // The request and which signal made it are one field, set once: a report can never say Ctrl+C for a SIGTERM that won a
    // race with it (elr saw that when the signal was noted apart from the request).
    private static StopSignal? _requested;

    /// <summary>Whether a stop was requested while a command accepted it: read once per inference, so a volatile read.</summary>
    public static bool IsRequested => Volatile.Read(ref _requested) is not null;

    /// <summary>The signal that requested the stop; null while none has.</summary>
    public static StopSignal? Signal => Volatile.Read(ref _requested);

    /// <summary>Lets the first Ctrl+C or SIGTERM become a request to stop until the scope is disposed.</summary>
    public static IDisposable Accept()
    {
        if (Interlocked.Exchange(ref _accepting, 1) != 0) throw new InvalidOperationException("A command already accepts a signal as a request to stop.");
        return new Scope();
    }

    /// <summary>On SIGINT or SIGTERM: true when <paramref name="signal"/> became the request, so the process must go on; false
    /// when it must end the process (no command accepts a request, or one was already made).</summary>
    public static bool TryRequest(StopSignal signal)
    {
        // Each signal may be handled on a thread of its own: only one of two quick ones may become the request.
        return Volatile.Read(ref _accepting) != 0 && Interlocked.CompareExchange(ref _requested, signal, null) is null;
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Volatile.Write(ref _accepting, 0);
    }
}
