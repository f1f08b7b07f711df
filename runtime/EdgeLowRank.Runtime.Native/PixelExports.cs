using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.IO;

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
            using SessionCall call = SessionHandles.Enter(session);
            OpenSession target = call.Session;
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
            using SessionCall call = SessionHandles.Enter(session);
            OpenSession target = call.Session;
            InferenceSession runtime = target.Session;
            SessionExports.RequireBatch(batchSize);
            int count = SessionExports.Elements("pixels", pixels, pixelsLength, batchSize, runtime.Model.InputShape, "bytes");
            int outputFloats = SessionExports.Elements("output", output, outputLength, batchSize, runtime.Model.OutputShape, "floats");
            // Passes read later samples' pixels after earlier outputs are written, as elr_session_run's passes do.
            if ((byte*)output < pixels + count && pixels < (byte*)(output + outputFloats))
                throw new ApiArgumentException("output overlaps pixels; give the outputs a buffer of their own.");
            InputPixelScale scale = InputPixelScale.For(runtime.Model.Metadata, pixelMax);
            var all = new ReadOnlySpan<byte>(pixels, count);
            var outputs = new Span<float>(output, outputFloats);
            // Every pixel is checked before the first pass writes an output, so a refused one leaves the output as it was.
            scale.RequireInRange(all, runtime.InputLength);
            // One pass at a time through one buffer of a pass, so no batch allocates; cut as the session cuts a batch into
            // passes, so the outputs are elr_session_run's for the whole batch, bit for bit.
            float[] buffer = target.PixelBuffers.Rent();
            try
            {
                for (int start = 0, samples; start < batchSize; start += samples)
                {
                    samples = runtime.PassLength(batchSize - start, target.PixelBuffers.Samples);
                    Span<float> input = buffer.AsSpan(0, samples * runtime.InputLength);
                    IntegerPixels.Divide(all.Slice(start * runtime.InputLength, input.Length), input, scale.FullScale);
                    runtime.Run(input, outputs.Slice(start * runtime.OutputLength, samples * runtime.OutputLength), samples);
                }
            }
            finally
            {
                target.PixelBuffers.Return(buffer);
            }
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_run_pixels", e);
        }
    }
}
