using System.Runtime.InteropServices;

namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// Ctrl+C and SIGTERM for elr. The first of them notes which it was, then cancels the run's token, so the run stops its
/// tools and removes its staging folders, and the exit code is that signal's (130, 143); a run that has not stopped after
/// <see cref="Grace"/> is ended. System.CommandLine did the cancelling for both alike, and a handler of elr's own that only
/// noted SIGTERM could run after the parser's had cancelled: CI saw a SIGTERM reported as Ctrl+C's 130.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    /// <summary>How long a stopped run may take to clean up: apt-get needed more than System.CommandLine's default 2 s to
    /// be killed and reaped, and the process was cut off mid-cleanup.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt, _terminate;
    private int _exitCode;

    /// <summary>Takes Ctrl+C and SIGTERM from the process's default action (ending it at once) until disposed.</summary>
    public StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, ExitCodes.Cancelled));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, ExitCodes.Terminated));
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Whether the first signal was SIGTERM.</summary>
    public bool Terminated => Volatile.Read(ref _exitCode) == ExitCodes.Terminated;

    private void Stop(PosixSignalContext context, int exitCode)
    {
        context.Cancel = true;
        // The first signal decides; a second finds the run already stopping.
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0) return;
        _stop.Cancel();
        _ = Task.Delay(Grace).ContinueWith(_ => Environment.Exit(exitCode), TaskScheduler.Default);
    }

    /// <summary>Gives the signals back to their default action.</summary>
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
