using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Native;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Native;

/// <summary>elr_session_input_pixel_max and elr_session_run_pixels: the scale a model records, and integer pixels fed as
/// the floats p / scale, bit for bit, with a pixel above the scale refused before any output is written.</summary>
public class NativePixelTests
{
    private const int Pixels = 784, Classes = 10; // lenet300-factorized's input and output

    [Theory]
    [InlineData("16", 16)]
    [InlineData("255", 255)]
    [InlineData(null, 0)]
    [InlineData("sixteen", 0)] // not a number: no scale, as elr-run reads it
    public void The_pixel_max_is_the_models_recorded_scale_or_0(string? recorded, int expected)
    {
        nint session = Open(recorded);
        try
        {
            Assert.Equal(Status.Ok, NativeCalls.InputPixelMax(session, out int pixelMax));
            Assert.Equal(expected, pixelMax);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Theory]
    [InlineData("16", 0, 16, 1, 0)]
    [InlineData("255", 0, 255, 3, 0)]
    [InlineData(null, 0, 255, 3, 0)]
    [InlineData("16", 255, 255, 2, 0)] // pixel_max overrides the model's
    [InlineData(null, 1000, 1000, 1, 0)]
    [InlineData("16", 0, 16, 12, 3)] // split across threads
    public void Pixels_run_as_the_floats_p_over_the_scale_bit_for_bit(string? recorded, int pixelMax, int scale, int batch, int threads) =>
        RunsAsTheFloats(recorded, pixelMax, scale, batch, maxBatchSize: 4, threads);

    /// <summary>A batch above max_batch_size runs pass by pass through the one buffer of a pass, cut as the session cuts
    /// it, so each sample takes the kernels it takes in elr_session_run's whole batch: 4 + 1 is run 3 + 2, not 4 + 1,
    /// whose lone last sample would take the GEMV.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 1)]
    [InlineData(11, 1)]
    [InlineData(1, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 2)]
    [InlineData(11, 2)]
    public void A_batch_of_any_size_runs_as_its_floats_in_one_run_bit_for_bit(int batch, int threads)
    {
        RunsAsTheFloats("16", 0, 16, batch, maxBatchSize: 4, threads);
        RunsAsTheFloats(null, 0, 255, batch, maxBatchSize: 2, threads);
    }

    private static void RunsAsTheFloats(string? recorded, int pixelMax, int scale, int batch, int maxBatchSize, int threads)
    {
        nint session = Open(recorded, maxBatchSize, threads: threads);
        try
        {
            byte[] pixels = Bytes(batch * Pixels, (byte)Math.Min(scale, byte.MaxValue), seed: batch);
            float[] floats = pixels.Select(p => p / (float)scale).ToArray();
            float[] expected = new float[batch * Classes], actual = new float[batch * Classes];
            Assert.Equal(Status.Ok, NativeCalls.Run(session, floats, floats.Length, expected, expected.Length, batch));
            // Twice: the second run takes the buffer the first returned.
            for (int run = 0; run < 2; run++)
            {
                Assert.Equal(Status.Ok, NativeCalls.RunPixels(session, pixels, pixels.Length, pixelMax, actual, actual.Length, batch));
                Assert.Equal(MemoryMarshal.Cast<float, int>(expected).ToArray(), MemoryMarshal.Cast<float, int>(actual).ToArray());
            }
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Theory]
    [InlineData("16", 0, 17, "above the full scale 16 (the model's input.pixel-max)")]
    [InlineData(null, 10, 200, "above the full scale 10 (pixel_max 10; the model records none)")]
    [InlineData("16", 100, 101, "above the full scale 100 (pixel_max 100; the model records 16)")]
    public void A_pixel_above_the_scale_is_refused_by_sample_and_index_and_writes_no_output(string? recorded, int pixelMax, int pixel, string scale)
    {
        nint session = Open(recorded);
        try
        {
            byte[] pixels = new byte[3 * Pixels];
            pixels[Pixels + 5] = (byte)pixel;
            pixels[2 * Pixels] = (byte)pixel; // a later one: the first is named
            float[] output = Enumerable.Repeat(-7f, 3 * Classes).ToArray();
            Assert.Equal(Status.InvalidArgument, NativeCalls.RunPixels(session, pixels, pixels.Length, pixelMax, output, output.Length, 3));
            Assert.StartsWith($"elr_session_run_pixels: pixels[789] (sample 1, index 5) is {pixel}, {scale}", NativeCalls.LastError());
            Assert.All(output, y => Assert.Equal(-7f, y));
            // The same pixels by a scale that holds them run.
            Assert.Equal(Status.Ok, NativeCalls.RunPixels(session, pixels, pixels.Length, byte.MaxValue, output, output.Length, 3));
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public unsafe void Bad_arguments_are_refused_with_the_parameter_named_and_no_output_written()
    {
        nint session = Open("16");
        try
        {
            byte[] pixels = new byte[2 * Pixels];
            float[] output = Enumerable.Repeat(-7f, 2 * Classes).ToArray();
            void Refused(Status status, string message)
            {
                Assert.Equal(Status.InvalidArgument, status);
                Assert.StartsWith("elr_session_run_pixels: " + message, NativeCalls.LastError());
                Assert.All(output, y => Assert.Equal(-7f, y));
            }
            Refused(NativeCalls.RunPixels(session, pixels, Pixels, 0, output, 20, 2), "pixels_length is 784 bytes, but batch_size 2 needs 1568 (2 × 784, one sample of shape 784)");
            Refused(NativeCalls.RunPixels(session, pixels, 1568, 0, output, 10, 2), "output_length is 10 floats, but batch_size 2 needs 20");
            Refused(NativeCalls.RunPixels(session, pixels, 0, 0, output, 0, 0), "batch_size is 0");
            Refused(NativeCalls.RunPixels(session, pixels, 1568, 0, output, 20, -1), "batch_size is -1");
            Refused(NativeCalls.RunPixels(session, null, 784, 0, output, 10, 1), "pixels is NULL; pass a buffer of batch_size × 784 bytes");
            Refused(NativeCalls.RunPixels(session, pixels, 784, 0, null, 10, 1), "output is NULL");
            Refused(NativeCalls.RunPixels(0, pixels, 784, 0, output, 10, 1), "session is NULL");
            Refused(NativeCalls.RunPixels(session, pixels, 784, -1, output, 10, 1), "pixel_max is -1; give the full scale of the pixels (1 to 65,535");
            Refused(NativeCalls.RunPixels(session, pixels, 784, 65_536, output, 10, 1), "pixel_max is 65536");
            Assert.Equal(Status.InvalidArgument, NativeCalls.InputPixelMaxInto(session, null));
            Assert.StartsWith("elr_session_input_pixel_max: pixel_max is NULL", NativeCalls.LastError());
            Assert.Equal(Status.InvalidArgument, NativeCalls.InputPixelMax(0, out _));
            Assert.StartsWith("elr_session_input_pixel_max: session is NULL", NativeCalls.LastError());
            Assert.Equal(Status.Ok, NativeCalls.RunPixels(session, pixels, 784, InputPixelScale.Largest, output, 10, 1));
            Assert.Equal("", NativeCalls.LastError());
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    [Fact]
    public void Pixel_runs_on_one_session_from_several_threads_at_once_each_convert_into_a_buffer_of_their_own()
    {
        const int threads = 4, batch = 8;
        nint session = Open("255");
        try
        {
            byte[][] pixels = Enumerable.Range(0, threads).Select(t => Bytes(batch * Pixels, byte.MaxValue, seed: 10 + t)).ToArray();
            float[][] expected = pixels.Select(p =>
            {
                var output = new float[batch * Classes];
                Assert.Equal(Status.Ok, NativeCalls.RunPixels(session, p, p.Length, 0, output, output.Length, batch));
                return output;
            }).ToArray();
            int mismatches = 0;
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                var output = new float[batch * Classes];
                start.SignalAndWait();
                for (int run = 0; run < 300; run++)
                {
                    if (NativeCalls.RunPixels(session, pixels[t], pixels[t].Length, 0, output, output.Length, batch) != Status.Ok
                        || !output.AsSpan().SequenceEqual(expected[t]))
                        Interlocked.Increment(ref mismatches);
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            Assert.Equal(0, mismatches);
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    /// <summary>A refused byte in a later pass than the first: every byte is checked before the first pass runs.</summary>
    [Fact]
    public void A_pixel_above_the_scale_in_the_last_pass_writes_no_output_of_the_first()
    {
        nint session = Open("16", maxBatchSize: 2);
        try
        {
            byte[] pixels = new byte[5 * Pixels];
            pixels[^1] = 17;
            float[] output = Enumerable.Repeat(-7f, 5 * Classes).ToArray();
            Assert.Equal(Status.InvalidArgument, NativeCalls.RunPixels(session, pixels, pixels.Length, 0, output, output.Length, 5));
            Assert.StartsWith("elr_session_run_pixels: pixels[3919] (sample 4, index 783) is 17, above the full scale 16", NativeCalls.LastError());
            Assert.All(output, y => Assert.Equal(-7f, y));
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    /// <summary>Output over the pixels is refused, as elr_session_run refuses output over input: a later pass would read
    /// pixels an earlier one's outputs had overwritten.</summary>
    [Fact]
    public unsafe void Output_over_the_pixels_is_refused()
    {
        nint session = Open("255", maxBatchSize: 2);
        try
        {
            var shared = new float[3 * Pixels];
            delegate* unmanaged<nint, byte*, nuint, int, float*, nuint, int, Status> run = &PixelExports.RunPixels;
            fixed (float* y = shared)
            {
                Assert.Equal(Status.InvalidArgument, run(session, (byte*)y, 3 * Pixels, 0, y, 3 * Classes, 3));
                Assert.StartsWith("elr_session_run_pixels: output overlaps pixels", NativeCalls.LastError());
                Assert.Equal(Status.InvalidArgument, run(session, (byte*)(y + 1), 3 * Pixels, 0, y, 3 * Classes, 3));
                // Beside each other, they run.
                Assert.Equal(Status.Ok, run(session, (byte*)(y + 3 * Classes), 3 * Pixels, 0, y, 3 * Classes, 3));
            }
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    /// <summary>Beyond max_batch_size (64 by default) too: 65 and 2 × 64 + 3 run pass by pass through the same buffer.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(131)]
    public void A_pixel_run_of_any_batch_size_allocates_nothing(int batch)
    {
        nint session = Open("255");
        try
        {
            byte[] pixels = Bytes(batch * Pixels, byte.MaxValue, seed: 3);
            var output = new float[batch * Classes];
            Assert.Equal(0, AllocationProbe.RecurringBytes(() => NativeCalls.RunPixels(session, pixels, pixels.Length, 0, output, output.Length, batch)));
        }
        finally
        {
            NativeCalls.Close(session);
        }
    }

    /// <summary>lenet300-factorized opened from memory with "input.pixel-max" = <paramref name="recorded"/> (none for null).</summary>
    private static nint Open(string? recorded, int? maxBatchSize = null, int threads = 0)
    {
        var properties = new Dictionary<string, string> { ["model"] = "lenet300" };
        if (recorded is not null) properties[ModelMetadata.InputPixelMaxProperty] = recorded;
        Assert.Equal(Status.Ok, NativeCalls.OpenBytes(WithProperties("lenet300-factorized", properties), maxBatchSize, out nint session, threads));
        return session;
    }

    /// <summary>A golden model's bytes with <paramref name="properties"/> for its metadata properties.</summary>
    internal static byte[] WithProperties(string name, IReadOnlyDictionary<string, string> properties)
    {
        using Model model = ModelReader.Load(Fixtures.Model(name));
        return ModelWriter.ToArray(new Model(model.InputShape, model.Layers, model.Metadata with { Properties = properties }));
    }

    private static byte[] Bytes(int count, byte largest, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[count];
        for (int i = 0; i < count; i++) bytes[i] = (byte)random.Next(largest + 1);
        bytes[0] = largest; // the scale itself is taken
        return bytes;
    }
}
