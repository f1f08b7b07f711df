using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>A session as C holds it: the runtime's session, and the strings handed out from it that must live as long
/// (the model's labels, as NUL-terminated UTF-8).</summary>
internal sealed unsafe class OpenSession(InferenceSession session) : IDisposable
{
    private readonly byte[][] _labels = session.Model.Metadata.Labels.Select(Utf8Text.Pinned).ToArray();

    /// <summary>The runtime's session.</summary>
    public InferenceSession Session { get; } = session;

    /// <summary>The label of output class <paramref name="index"/>, or null when the model records none for it (an empty
    /// one included).</summary>
    public byte* Label(int index) =>
        index < _labels.Length && _labels[index].Length > 1 ? Utf8Text.Address(_labels[index]) : null;

    /// <summary>Disposes the runtime's session (and its model).</summary>
    public void Dispose() => Session.Dispose();
}
