namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// The first Ctrl+C as a request to stop, for a command that can end at a clean point and report what it did so far
/// (<c>bench</c>, as ONNX Runtime's and TensorFlow Lite's benchmark tools are stopped and still asked for their numbers).
/// While such a command holds the scope <see cref="Accept"/> gives, the first SIGINT only sets <see cref="IsRequested"/>
/// and the process goes on; a second one, or one outside the scope, ends the process at once with exit code 130, as for
/// every other command: a user whose run is stuck in one long inference still has a way out.
/// </summary>
internal static class StopRequest
{
    private static int _accepting;
    private static int _requested;

    /// <summary>Whether Ctrl+C was pressed while a command accepted it: read once per inference, so a volatile read.</summary>
    public static bool IsRequested => Volatile.Read(ref _requested) != 0;

    /// <summary>Lets the first Ctrl+C become a request to stop until the scope is disposed.</summary>
    public static IDisposable Accept()
    {
        if (Interlocked.Exchange(ref _accepting, 1) != 0) throw new InvalidOperationException("A command already accepts Ctrl+C as a request to stop.");
        return new Scope();
    }

    /// <summary>On SIGINT: true when the signal became a request, so the process must go on; false when it must end the
    /// process (no command accepts a request, or one was already made).</summary>
    public static bool TryRequest()
    {
        // Each signal may be handled on a thread of its own: only one of two quick ones may become the request.
        return Volatile.Read(ref _accepting) != 0 && Interlocked.Exchange(ref _requested, 1) == 0;
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Volatile.Write(ref _accepting, 0);
    }
}
