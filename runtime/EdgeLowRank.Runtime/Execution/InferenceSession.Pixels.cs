using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>A session's runs of integer pixels (uint8 images), as libelr's elr_session_run_pixels and elr-run's uint8 input run them.</summary>
public sealed partial class InferenceSession
{
    /// <summary>
    /// Runs <paramref name="batchSize"/> samples of 8-bit integer pixels stored one after another in <paramref name="pixels"/>, each
    /// pixel p fed as p / the full scale: <paramref name="pixelMax"/> when above 0, else the scale the model records
    /// (<see cref="Layers.ModelMetadata.InputPixelMax"/>: 16 for the UCI digits), else 255 — as the model was trained, and as
    /// elr-run reads a uint8 file. The outputs are those of <see cref="Run(ReadOnlySpan{float}, Span{float}, int)"/> on the
    /// converted floats, bit for bit. Every pixel is checked before any output is written. Once each concurrent caller has
    /// run once, no run allocates. Pixels of more bits (a 12- or 16-bit sensor) are the caller's to divide into floats for
    /// <see cref="Run(ReadOnlySpan{float}, Span{float}, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1, or <paramref name="pixelMax"/> is
    /// negative or above 65,535.</exception>
    /// <exception cref="ArgumentException">The spans do not hold <paramref name="batchSize"/> samples, overlap, or a pixel is
    /// above the scale (0–255 images for a model of 0–16 pixels would be fed as values above 1): the message names the sample
    /// and index.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void RunPixels(ReadOnlySpan<byte> pixels, Span<float> output, int batchSize, int pixelMax = 0)
    {
        if (InputPixelScale.GivenProblem(pixelMax, nameof(pixelMax), "Model.Metadata.InputPixelMax") is string wrong)
            throw new ArgumentOutOfRangeException(nameof(pixelMax), pixelMax, wrong);
        RequireLengths(pixels.Length, nameof(pixels), "bytes", output.Length, batchSize);
        // Passes read later samples' pixels after earlier outputs are written.
        if (pixels.Overlaps(MemoryMarshal.AsBytes(output)))
            throw new ArgumentException("The output overlaps the pixels; give the outputs a buffer of their own.", nameof(output));
        var scale = InputPixelScale.For(Model.Metadata, pixelMax, nameof(pixelMax));
        if (scale.Refusal(pixels, InputLength) is string refused) throw new ArgumentException(refused, nameof(pixels));
        RunCheckedPixels(pixels, output, batchSize, scale.FullScale);
    }

    /// <summary>Runs pixels whose lengths, overlap and range the caller checked, each divided by <paramref name="fullScale"/>:
    /// one pass at a time through one buffer of a pass, cut as <see cref="PassLength"/> cuts a batch, so the outputs are those
    /// of one run of the whole batch of floats, bit for bit. libelr checks with its own words, then calls this.</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    internal void RunCheckedPixels(ReadOnlySpan<byte> pixels, Span<float> output, int batchSize, int fullScale)
    {
        Enter();
        try
        {
            PixelBuffers buffers = PixelBuffers;
            float[] buffer = buffers.Rent();
            try
            {
                for (int start = 0, samples; start < batchSize; start += samples)
                {
                    samples = PassLength(batchSize - start, buffers.Samples);
                    Span<float> input = buffer.AsSpan(0, samples * InputLength);
                    IntegerPixels.Divide(pixels.Slice(start * InputLength, input.Length), input, fullScale);
                    RunEntered(input, output.Slice(start * OutputLength, samples * OutputLength), samples, Span<long>.Empty);
                }
            }
            finally
            {
                buffers.Return(buffer);
            }
        }
        finally
        {
            _calls.Leave();
        }
    }

    /// <summary>The buffers of pixel runs, made by the first (a session fed floats has none).</summary>
    private PixelBuffers PixelBuffers
    {
        get
        {
            if (Volatile.Read(ref _pixelBuffers) is { } made) return made;
            Interlocked.CompareExchange(ref _pixelBuffers, new PixelBuffers(InputLength, MaxBatchSize), null);
            return _pixelBuffers!;
        }
    }
}
