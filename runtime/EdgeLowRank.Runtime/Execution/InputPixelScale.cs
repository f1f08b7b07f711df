using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Execution;

/// <summary>
/// How a pixel run (<see cref="InferenceSession.RunPixels"/>, libelr's elr_session_run_pixels) turns integer pixels into
/// the model's float input: p / <see cref="FullScale"/>, as elr-run reads uint8 files (its PixelScale) and as the
/// compressor trained on them. Read by a fixed 255, the UCI digits' 0–16 pixels gave the digits MLP of docs/TRAINING.md
/// 25.63% accuracy instead of 97.21%, so the model's recorded scale comes before 255.
/// </summary>
/// <param name="FullScale">The pixel fed as 1.</param>
/// <param name="Given">The caller's scale; 0 when the scale is the model's or 255.</param>
/// <param name="Recorded">The scale the model records (input.pixel-max), if any.</param>
/// <param name="RecordsUnreadable">Whether the model records an input.pixel-max that is not a whole number from 1 to 65,535.</param>
/// <param name="GivenName">The caller's name for its scale, for messages: pixelMax, pixel_max.</param>
/// <remarks>A struct, whose message text is made only for a refused pixel, so a run allocates nothing for its scale.</remarks>
internal readonly record struct InputPixelScale(int FullScale, int Given, int? Recorded, bool RecordsUnreadable, string GivenName)
{
    /// <summary>The largest scale a caller may give, as the largest input.pixel-max a model may record (and elr-run's --pixel-max).</summary>
    public const int Largest = ushort.MaxValue;

    /// <summary>Why <paramref name="given"/> (named <paramref name="givenName"/>) is no scale, or null when it is one (0 takes
    /// the model's, which <paramref name="modelsScale"/> names for the caller).</summary>
    public static string? GivenProblem(int given, string givenName, string modelsScale) => given is < 0 or > Largest
        ? $"{givenName} is {given}; give the full scale of the pixels (1 to {Largest:N0}: 255 for 0–255 images), or 0 for the model's ({modelsScale}), else 255."
        : null;

    /// <summary>The scale for <paramref name="metadata"/>'s model: <paramref name="given"/> when not 0, else the one the model
    /// records, else 255. <paramref name="given"/> has no <see cref="GivenProblem"/>.</summary>
    public static InputPixelScale For(ModelMetadata metadata, int given, string givenName) =>
        new(metadata.IntegerPixelScale(given), given, metadata.InputPixelMax, metadata.UnreadableInputPixelMax is not null, givenName);

    /// <summary>Where the scale comes from, for messages: "(the model's input.pixel-max)".</summary>
    public string Source => ModelMetadata.IntegerPixelScaleSource(Given, Recorded, GivenName, RecordsUnreadable);

    /// <summary>Why the first pixel above the scale is refused, or null when none is: pixels of another scale (0–255 images for
    /// a model of 0–16 ones) would give confident nonsense. A run checks all its pixels so before it converts any
    /// (<see cref="IO.IntegerPixels.Divide"/>) or writes an output.</summary>
    /// <param name="pixels">Samples of <paramref name="sampleLength"/> pixels, one after another.</param>
    /// <param name="sampleLength">The pixels of one sample, to name the sample and index of a refused pixel.</param>
    public string? Refusal(ReadOnlySpan<byte> pixels, int sampleLength)
    {
        if (FullScale >= byte.MaxValue || pixels.IndexOfAnyInRange((byte)(FullScale + 1), byte.MaxValue) is not (var at and >= 0)) return null;
        byte pixel = pixels[at];
        // The offset without a thousands separator: pixels[4,095] would read as an index of two dimensions.
        return $"pixels[{at}] (sample {at / sampleLength}, index {at % sampleLength}) is {pixel}, above the full scale {FullScale} {Source}: "
            + $"it would be fed as {pixel / (float)FullScale:0.###}, above 1. Give pixels 0–{FullScale}, or their own full scale as {GivenName} "
            + "(255 for 0–255 images); no output was written.";
    }
}
