namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// The float buffers a pixel run (<see cref="InferenceSession.RunPixels"/>, libelr's elr_session_run_pixels) converts pixels
/// into, each one pass of the session (its <see cref="InferenceSession.MaxBatchSize"/> samples), lent to concurrent runs as the
/// session lends its arenas: a few slots swapped lock-free. None is made until the first
/// such run, so a session fed floats pays nothing; a run that finds every slot empty makes a buffer, which is kept if a
/// slot is free on return, so a steady number of calling threads settles at no allocation per run, whatever their batches.
/// </summary>
/// <param name="sampleLength">The floats of one sample: the session's input length.</param>
/// <param name="maxBatchSize">The session's <see cref="InferenceSession.MaxBatchSize"/>.</param>
internal sealed class PixelBuffers(int sampleLength, int maxBatchSize)
{
    // As many as the arenas a session keeps for busier moments: one per CPU, at least 2.
    private readonly float[]?[] _slots = new float[]?[Math.Max(2, Environment.ProcessorCount)];

    /// <summary>The samples one buffer holds: a pass of the session, or as many as one array takes where a pass is more.</summary>
    public int Samples { get; } = Math.Max(1, Math.Min(maxBatchSize, Array.MaxLength / sampleLength));

    /// <summary>The floats of one buffer.</summary>
    public int Floats => Samples * sampleLength;

    /// <summary>A buffer of <see cref="Floats"/> floats, to be given back with <see cref="Return"/>.</summary>
    public float[] Rent()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i], null) is { } buffer) return buffer;
        }
        return GC.AllocateUninitializedArray<float>(Floats);
    }

    /// <summary>Keeps <paramref name="buffer"/> for the next run, or leaves it to the GC when every slot is taken.</summary>
    public void Return(float[] buffer)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], buffer, null) is null) return;
        }
    }
}
