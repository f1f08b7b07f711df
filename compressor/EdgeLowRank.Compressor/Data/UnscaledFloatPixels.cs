namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The warning for float image arrays that look like unscaled 0–255 pixels. A folder's uint8 pixels are scaled by 1/255,
/// but float ones are taken as they are, so images saved as x.astype(np.float32) without the / 255 train a network on pixels
/// 255 times the catalog's, which trains worse with no error at all (97.45% rather than 98.55% on MNIST in a user's trial).
/// </summary>
internal static class UnscaledFloatPixels
{
    /// <summary>Above this, float pixels are no [0, 1] intensities: 1.5 leaves room for rounding and mild augmentation.</summary>
    public const float Limit = 1.5f;

    /// <summary>
    /// True when <paramref name="range"/> looks like pixels 0 to 255: above <see cref="Limit"/> and never negative. Arrays
    /// with negative values are left alone: standardized pixels ((x − mean) / std, about −0.4 to 2.8 for MNIST) reach past 1.5
    /// too, but someone chose them.
    /// </summary>
    public static bool Suspect(FloatPixelRange range) => range.Max > Limit && range.Min >= 0;

    /// <summary>The warning for the arrays of data set <paramref name="dataset"/> that look unscaled, or null when none does.</summary>
    /// <param name="dataset">The data set's name (its folder's), for the message.</param>
    /// <param name="arrays">Each image file's name and its pixel range; null for a uint8 array, which is scaled.</param>
    public static string? Warning(string dataset, IReadOnlyList<(string File, FloatPixelRange? Range)> arrays)
    {
        var suspect = arrays.Where(a => a.Range is { } r && Suspect(r)).Select(a => (a.File, Range: a.Range!.Value)).ToArray();
        if (suspect.Length == 0) return null;
        float min = suspect.Min(a => a.Range.Min), max = suspect.Max(a => a.Range.Max);
        string files = string.Join(" and ", suspect.Select(a => $"{dataset}/{a.File}"));
        return $"{files} hold{(suspect.Length == 1 ? "s" : "")} float pixels from {min:G4} to {max:G4}. Only uint8 arrays are scaled by 1/255; float arrays "
            + "are used as they are, so the network takes these values where a model usually takes 0 to 1: training on them can diverge or end worse, "
            + "and a model trained on 0 to 1 scores worse on them. If they are pixels of 0 to 255, save the images divided by 255 "
            + "((x / 255).astype(np.float32)) or as uint8 (x.astype(np.uint8)); ignore this if the network expects that range (one imported "
            + "with --input-mean/--input-std in 0-255 units).";
    }

    /// <summary>
    /// What to say of <paramref name="train"/> when training on it diverged: that its float pixels look like 0 to 255, a cause
    /// of divergence at rates made for 0 to 1, and how to scale them; null when they do not (the warning's condition did
    /// not hold), so that the message blames the pixels only where the load warned of them.
    /// </summary>
    public static string? DivergenceCause(Dataset train) => train.UnscaledPixels is { } range
        ? $"the training images are float pixels from {range.Min:G4} to {range.Max:G4} (the warning above), where a network usually takes 0 to 1, "
            + "which can make training diverge: scale the images to 0–1 (save (x / 255).astype(np.float32), or x.astype(np.uint8)) and run again. "
            + "If the network expects that range, "
        : null;
}
