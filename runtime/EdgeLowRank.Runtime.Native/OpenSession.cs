using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>A session as C holds it: the runtime's session, the strings handed out from it that must live as long
/// (the model's labels and metadata properties, as NUL-terminated UTF-8), the buffers its pixel runs convert into, and
/// the count of calls inside it, which closing waits for.</summary>
internal sealed unsafe class OpenSession(InferenceSession session) : IDisposable
{
    // Set in _calls once Dispose has begun: the count and this flag share one word, so entering is one atomic add, and
    // of a call entering and Dispose beginning at once, one always sees the other (the call its flag, Dispose its count).
    private const int Closing = int.MinValue;

    // The calls inside the session (between TryEnter and Leave), plus Closing.
    private int _calls;

    private readonly IReadOnlyList<string> _names = session.Model.Metadata.Labels;
    private readonly byte[][] _labels = session.Model.Metadata.Labels.Select(Utf8Text.Pinned).ToArray();

    /// <summary>The runtime's session.</summary>
    public InferenceSession Session { get; } = session;

    /// <summary>The model's metadata properties.</summary>
    public ModelProperties Properties { get; } = new(session.Model.Metadata.Properties);

    /// <summary>The float buffers of elr_session_run_pixels, one pass each.</summary>
    public PixelBuffers PixelBuffers { get; } = new(session.InputLength, session.MaxBatchSize);

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
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _calls) > 0) return true;
        Interlocked.Decrement(ref _calls);
        return false;
    }

    /// <summary>Ends a call <see cref="TryEnter"/> counted.</summary>
    public void Leave() => Interlocked.Decrement(ref _calls);

    /// <summary>Refuses new calls, waits for those inside to return, then disposes the runtime's session (and its model).</summary>
    public void Dispose()
    {
        Interlocked.Or(ref _calls, Closing);
        // A run takes microseconds to milliseconds: SpinWait soon yields and then sleeps, leaving the cores to the runs.
        var wait = new SpinWait();
        while (Volatile.Read(ref _calls) != Closing) wait.SpinOnce();
        Session.Dispose();
    }
}
