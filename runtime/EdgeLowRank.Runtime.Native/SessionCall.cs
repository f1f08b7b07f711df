namespace EdgeLowRank.Runtime.Native;

/// <summary>One C call's hold on an open session, from <see cref="SessionHandles.Enter"/> to its <see cref="Dispose"/>:
/// elr_session_close waits for every such hold to end before it disposes the session, so a call that found the session
/// open never runs on freed memory.</summary>
internal readonly ref struct SessionCall(OpenSession session)
{
    /// <summary>The session the call uses.</summary>
    public OpenSession Session { get; } = session;

    /// <summary>Ends the call's hold: the session may be disposed once no other call holds it.</summary>
    public void Dispose() => Session.Leave();
}
