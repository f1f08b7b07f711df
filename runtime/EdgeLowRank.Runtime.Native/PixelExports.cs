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
            if (InputPixelScale.GivenProblem(pixelMax, "pixel_max", "elr_session_input_pixel_max") is string wrong) throw new ApiArgumentException(wrong);
            var scale = InputPixelScale.For(runtime.Model.Metadata, pixelMax, "pixel_max");
            var all = new ReadOnlySpan<byte>(pixels, count);
            // Every pixel is checked before the first pass writes an output, so a refused one leaves the output as it was.
            if (scale.Refusal(all, runtime.InputLength) is string refused) throw new ApiArgumentException(refused);
            runtime.RunCheckedPixels(all, new Span<float>(output, outputFloats), batchSize, scale.FullScale);
            return LastError.Succeeded();
        }
        catch (Exception e)
        {
            return LastError.Failed("elr_session_run_pixels", e);
        }
    }
}
