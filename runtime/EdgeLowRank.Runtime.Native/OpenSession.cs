using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>A session as C holds it: the runtime's session, the strings handed out from it that must live as long
/// (the model's labels and metadata properties, as NUL-terminated UTF-8), and the calls inside it, which closing waits
/// for (a call's strings are the handle's, which the runtime's session does not count).</summary>
internal sealed unsafe class OpenSession(InferenceSession session) : IDisposable
{
    private readonly CallGate _calls = new();

    private readonly IReadOnlyList<string> _names = session.Model.Metadata.Labels;
    private readonly byte[][] _labels = session.Model.Metadata.Labels.Select(Utf8Text.Pinned).ToArray();

    /// <summary>The runtime's session.</summary>
    public InferenceSession Session { get; } = session;

    /// <summary>The model's metadata properties.</summary>
    public ModelProperties Properties { get; } = new(session.Model.Metadata.Properties);

    /// <summary>The label of output class <paramref name="index"/>, or null when the model records none for it (an empty
    /// one included).</summary>
    /// <exception cref="ApiModelException">The label holds a NUL character: C would read only the part before it.</exception>
    public byte* Label(int index)
    {
        if (index >= _labels.Length || _labels[index].Length <= 1) return null;
        Utf8Text.RequireNoNul(_names[index], $"class {index}'s label", "rename the class in the model's labels (they are written with the model)");
        return Utf8Text.Address(_labels[index]);
    }

    /// <summary>Counts a call into the session, unless it is being disposed (false: the call must not touch it).</summary>
    public bool TryEnter() => _calls.TryEnter();

    /// <summary>Ends a call <see cref="TryEnter"/> counted.</summary>
    public void Leave() => _calls.Leave();

    /// <summary>Refuses new calls, waits for those inside to return, then disposes the runtime's session (and its model).</summary>
    public void Dispose()
    {
        if (_calls.Close()) Session.Dispose();
    }
}
