using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>A session as C holds it: the runtime's session, and the strings handed out from it that must live as long
/// (the model's labels, as NUL-terminated UTF-8).</summary>
internal sealed unsafe class OpenSession(InferenceSession session) : IDisposable
{
    private readonly IReadOnlyList<string> _names = session.Model.Metadata.Labels;
    private readonly byte[][] _labels = session.Model.Metadata.Labels.Select(Utf8Text.Pinned).ToArray();

    /// <summary>The runtime's session.</summary>
    public InferenceSession Session { get; } = session;

    /// <summary>The label of output class <paramref name="index"/>, or null when the model records none for it (an empty
    /// one included).</summary>
    /// <exception cref="ApiModelException">The label holds a NUL character: C would read only the part before it.</exception>
    public byte* Label(int index)
    {
        if (index >= _labels.Length || _labels[index].Length <= 1) return null;
        int nul = _names[index].IndexOf('\0');
        if (nul >= 0)
            throw new ApiModelException($"class {index}'s label holds a NUL character after \"{_names[index][..nul]}\", and a C string ends at "
                + "the first NUL, so it cannot be handed over whole. Rename the class in the model's labels (they are written with the model).");
        return Utf8Text.Address(_labels[index]);
    }

    /// <summary>Disposes the runtime's session (and its model).</summary>
    public void Dispose() => Session.Dispose();
}
