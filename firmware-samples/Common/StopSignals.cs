using System.Runtime.InteropServices;

namespace EdgeLowRank.Samples.Common;

/// <summary>
/// Ctrl+C (SIGINT), SIGTERM (kill, systemctl stop) and SIGHUP (a dropped ssh session) end a sample's run early through
/// <see cref="Token"/>, so it can still write what it measured or switch its LEDs off. Only the first signal is caught;
/// a second one, or any after <see cref="Dispose"/>, takes its default course, so a stuck program can still be killed.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Action<PosixSignal>? _onStop;
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Catches the three signals until disposed.</summary>
    /// <param name="onStop">Runs once, on the signal thread, when the first signal arrives (before the token is cancelled).</param>
    public StopSignals(Action<PosixSignal>? onStop = null)
    {
        _onStop = onStop;
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, Handle))];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The signal that stopped the run, or null.</summary>
    public PosixSignal? StoppedBy { get; private set; }

    /// <summary>Stops catching the signals.</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations) registration.Dispose();
        _cancellation.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (StoppedBy is not null) return;
        context.Cancel = true;
        StoppedBy = context.Signal;
        _onStop?.Invoke(context.Signal);
        _cancellation.Cancel();
    }
}
