using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Execution;

/// <summary>
/// <see cref="InferenceSession.RunPixels"/>: uint8 pixels fed by the model's recorded scale, as libelr's elr_session_run_pixels
/// feeds them; a user trial's .NET app divided bytes by hand and nothing refused a pixel above the scale.
/// </summary>
public class PixelRunTests
{
    /// <summary>The digits' shape of network (64 pixels 0–16), recording its scale.</summary>
    private static Model Digits()
    {
        Model chain = TestModels.DenseChain(9, 64, 32, 10); // its layers go on in the model returned, which disposes them
        var metadata = new ModelMetadata { Properties = new Dictionary<string, string> { [ModelMetadata.InputPixelMaxProperty] = "16" } };
        return new Model(chain.InputShape, [.. chain.Layers], metadata);
    }

    private static byte[] Pixels(int samples, int largest) =>
        [.. Enumerable.Range(0, samples * 64).Select(i => (byte)(i * 7 % (largest + 1)))];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(9, 1)]
    [InlineData(9, 2)]
    [InlineData(64, 2)]
    public void Pixels_run_as_the_floats_they_are_divided_into_bit_for_bit(int batch, int threads)
    {
        using var session = new InferenceSession(Digits(), new SessionOptions { MaxBatchSize = 4, Threads = threads }, ownsModel: true);
        byte[] pixels = Pixels(batch, 16);
        var fromPixels = new float[batch * 10];
        var fromFloats = new float[batch * 10];

        session.RunPixels(pixels, fromPixels, batch);
        session.Run(pixels.Select(p => p / 16f).ToArray(), fromFloats, batch);

        Assert.Equal(fromFloats, fromPixels);
    }

    [Fact]
    public void A_given_scale_comes_before_the_models()
    {
        using var session = new InferenceSession(Digits(), ownsModel: true);
        byte[] pixels = Pixels(3, 255);
        var fromPixels = new float[30];
        var fromFloats = new float[30];

        session.RunPixels(pixels, fromPixels, 3, pixelMax: 255);
        session.Run(pixels.Select(p => p / 255f).ToArray(), fromFloats, 3);

        Assert.Equal(fromFloats, fromPixels);
    }

    [Fact]
    public void A_pixel_above_the_scale_is_refused_by_sample_and_index_and_no_output_is_written()
    {
        using var session = new InferenceSession(Digits(), ownsModel: true);
        byte[] pixels = Pixels(3, 16);
        pixels[2 * 64 + 5] = 200;
        float[] output = [.. Enumerable.Repeat(42f, 30)];

        var e = Assert.Throws<ArgumentException>(() => session.RunPixels(pixels, output, 3));

        Assert.Equal("pixels", e.ParamName);
        Assert.StartsWith("pixels[133] (sample 2, index 5) is 200, above the full scale 16 (the model's input.pixel-max): it would be fed as 12.5, above 1. "
            + "Give pixels 0–16, or their own full scale as pixelMax (255 for 0–255 images); no output was written.", e.Message);
        Assert.All(output, v => Assert.Equal(42f, v));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65_536)]
    public void A_scale_that_is_no_scale_is_refused(int pixelMax)
    {
        using var session = new InferenceSession(Digits(), ownsModel: true);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => session.RunPixels(new byte[64], new float[10], 1, pixelMax));
        Assert.StartsWith($"pixelMax is {pixelMax}; give the full scale of the pixels (1 to 65,535: 255 for 0–255 images), or 0 for the model's "
            + "(Model.Metadata.InputPixelMax), else 255.", e.Message);
    }

    [Fact]
    public void Lengths_that_do_not_hold_the_batch_are_refused_in_bytes()
    {
        using var session = new InferenceSession(Digits(), ownsModel: true);
        var e = Assert.Throws<ArgumentException>(() => session.RunPixels(new byte[63], new float[10], 1));
        Assert.StartsWith("Input length 63 does not match batch 1 × 64 bytes per sample (64).", e.Message);
        Assert.Equal("pixels", e.ParamName);
    }

    [Fact]
    public void A_disposed_session_refuses_pixels()
    {
        var session = new InferenceSession(Digits(), ownsModel: true);
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.RunPixels(new byte[64], new float[10], 1));
    }
}
