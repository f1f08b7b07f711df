using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Native;

/// <summary>
/// The integer-pixel functions of include/elr.h: the full scale the model was trained on, and runs fed bytes (a camera's,
/// an image file's) that the library scales as the model's training did, so a C caller need not know that the UCI digits'
/// pixels are 0–16.
/// </summary>
internal static unsafe class PixelExports
{
    /// <summary>elr_session_input_pixel_max.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_input_pixel_max")]
    public static Status InputPixelMax(nint session, int* pixelMax)
    {
        try
        {
            OpenSession target = SessionHandles.Get(session);
            if (pixelMax is null) throw new ApiArgumentException("pixel_max is NULL; pass the address of an int32_t to receive the scale.");
            *pixelMax = target.Session.Model.Metadata.InputPixelMax ?? 0;
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_input_pixel_max", e);
        }
    }

    /// <summary>elr_session_run_pixels: every pixel p fed as p / the scale, then run as elr_session_run runs floats.</summary>
    [UnmanagedCallersOnly(EntryPoint = "elr_session_run_pixels")]
    public static Status RunPixels(nint session, byte* pixels, nuint pixelsLength, int pixelMax, float* output, nuint outputLength, int batchSize)
    {
        try
        {
            OpenSession target = SessionHandles.Get(session);
            InferenceSession runtime = target.Session;
            SessionExports.RequireBatch(batchSize);
            int count = SessionExports.Elements("pixels", pixels, pixelsLength, batchSize, runtime.Model.InputShape, "bytes");
            int outputFloats = SessionExports.Elements("output", output, outputLength, batchSize, runtime.Model.OutputShape, "floats");
            InputPixelScale scale = InputPixelScale.For(runtime.Model.Metadata, pixelMax);
            // A batch of one pass or less converts into a buffer the session keeps; a larger one gets its own for this call,
            // rather than running in passes of its own, so the outputs are elr_session_run's for the whole batch, bit for bit.
            bool pooled = count <= target.PixelBuffers.Floats;
            float[] values = pooled ? target.PixelBuffers.Rent() : GC.AllocateUninitializedArray<float>(count);
            try
            {
                Span<float> input = values.AsSpan(0, count);
                scale.Convert(new ReadOnlySpan<byte>(pixels, count), input, runtime.InputLength);
                // The pixels are all read before the first output is written, so the buffers may even overlap.
                runtime.Run(input, new Span<float>(output, outputFloats), batchSize);
            }
            finally
            {
                if (pooled) target.PixelBuffers.Return(values);
            }
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_run_pixels", e);
        }
    }
}
