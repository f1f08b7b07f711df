using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Cli.Inputs;

/// <summary>
/// How integer pixels (uint8 .npy or IDX input) become the model's float input: p / <see cref="FullScale"/>, the scale the
/// model was trained on. A model records it (<see cref="ModelMetadata.InputPixelMax"/>: 255 for byte images, 16 for the UCI
/// digits); read by a fixed 255, the digits' 0–16 pixels gave a user trial's digits model 22% accuracy instead of 99%, and
/// the digits MLP of docs/TRAINING.md 25.63% instead of 97.21%.
/// </summary>
/// <param name="FullScale">The integer pixel fed as 1.</param>
/// <param name="Recorded">Whether the model records its scale, so that its float input is known to be 0–1 pixels.</param>
/// <param name="Given">Whether the scale is --pixel-max's.</param>
/// <param name="Source">Where the scale comes from, for messages: "(the model's input.pixel-max)".</param>
/// <param name="Normalization">The normalization the model applies to its input itself (<see cref="ModelMetadata.InputNormalization"/>),
/// or null: such a model takes pixels before normalization even when it records no scale.</param>
/// <param name="Unreadable">The model's input.pixel-max when it is not a whole number from 1 to 65,535
/// (<see cref="ModelMetadata.UnreadableInputPixelMax"/>), else null.</param>
internal sealed record PixelScale(int FullScale, bool Recorded, bool Given, string Source, string? Normalization = null, string? Unreadable = null)
{
    /// <summary>The largest byte of an input that reads as small-scale pixels (the digits' 0–16) rather than 0–255 images,
    /// whose files reach far above it.</summary>
    public const float LargestSmallScalePixel = 31;

    /// <summary>The largest float input value taken for a 0–1 pixel without a warning: values above it look like integer
    /// pixels saved as floats (the compressor's own data check warns from the same value).</summary>
    public const float LargestUnitPixel = 1.5f;

    /// <summary>The smallest float input value taken for a 0–1 pixel without a warning: values below it look like
    /// standardized pixels ((x − mean) / std reaches −0.42 for MNIST's, −1 for Normalize(0.5, 0.5)).</summary>
    public const float SmallestUnitPixel = -0.25f;

    /// <summary>The scale for <paramref name="metadata"/>'s model: <paramref name="given"/> (--pixel-max) when not 0, else the
    /// one the model records, else 255, the scale of byte images, as before models recorded one.</summary>
    public static PixelScale For(ModelMetadata metadata, int given)
    {
        int? recorded = metadata.InputPixelMax;
        return new(metadata.IntegerPixelScale(given), recorded is not null, given != 0, ModelMetadata.IntegerPixelScaleSource(given, recorded, "--pixel-max", metadata.UnreadableInputPixelMax is not null),
            metadata.InputNormalization, metadata.UnreadableInputPixelMax);
    }
}
