using System.Numerics;

namespace EdgeLowRank.Runtime.IO;

/// <summary>
/// Integer pixels (a camera's bytes, a uint8 .npy or IDX file) made the model's float input: each byte p becomes
/// p / full scale, as the compressor trained on them (255 for 0–255 images, 16 for the UCI digits' 0–16). The one
/// conversion of elr-run's byte files and of the session's pixel runs (<see cref="Execution.InferenceSession.RunPixels"/>,
/// libelr's elr_session_run_pixels), so they feed a model the same floats.
/// <see cref="Divide"/> is the vector path; <see cref="DivideReference"/> its scalar oracle.
/// </summary>
/// <remarks>Bytes above the full scale are divided as any other (to values above 1): each caller refuses them first, with
/// a message in its own terms (a file and --pixel-max; a sample, an index and pixelMax or pixel_max).</remarks>
internal static class IntegerPixels
{
    /// <summary>values[i] = pixels[i] / <paramref name="fullScale"/> for every pixel. One scalar division a byte added about
    /// 45 µs to a 60 µs run of 64 MNIST-sized samples through LeNet-300-100 factorized (x86-64-v3, a loaded 2-core machine),
    /// these vectors about 8 µs; vector lanes divide as the scalar division does (IEEE, correctly rounded), so the floats are
    /// <see cref="DivideReference"/>'s, bit for bit.</summary>
    /// <param name="pixels">The pixels.</param>
    /// <param name="values">At least as many floats; the first pixels.Length are written.</param>
    /// <param name="fullScale">The pixel fed as 1 (a model records 1 to 65,535).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fullScale"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is shorter than <paramref name="pixels"/>.</exception>
    public static void Divide(ReadOnlySpan<byte> pixels, Span<float> values, int fullScale)
    {
        Require(pixels, values, fullScale);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisor = new Vector<float>(fullScale);
            int lanes = Vector<float>.Count;
            for (; i <= pixels.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(pixels[i..]), out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> first, out Vector<uint> second);
                Vector.Widen(high, out Vector<uint> third, out Vector<uint> fourth);
                // Bytes fit an int, whose conversion to float is one instruction (AVX2 has none from uint).
                (Vector.ConvertToSingle(Vector.AsVectorInt32(first)) / divisor).CopyTo(values[i..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(second)) / divisor).CopyTo(values[(i + lanes)..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(third)) / divisor).CopyTo(values[(i + 2 * lanes)..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(fourth)) / divisor).CopyTo(values[(i + 3 * lanes)..]);
            }
        }
        // The tail, shorter than one vector of bytes, as the reference divides.
        DivideReference(pixels[i..], values[i..], fullScale);
    }

    /// <summary>The same, one pixel at a time: the oracle the vector path is tested against.</summary>
    internal static void DivideReference(ReadOnlySpan<byte> pixels, Span<float> values, int fullScale)
    {
        float scale = fullScale;
        for (int i = 0; i < pixels.Length; i++) values[i] = pixels[i] / scale;
    }

    private static void Require(ReadOnlySpan<byte> pixels, Span<float> values, int fullScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fullScale, 1);
        if (values.Length < pixels.Length)
            throw new ArgumentException($"{values.Length} floats cannot take {pixels.Length} pixels.", nameof(values));
    }
}
