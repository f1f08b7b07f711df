namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Builds train and test parts from the UCI digits CSV. The data has no official split, so the
/// test part is fixed here: from each class, <see cref="TestFraction"/> of its samples chosen by
/// a shuffle seeded with <see cref="SplitSeed"/> (see <see cref="Dataset.SplitValidation"/> for
/// the method). Changing either constant changes every reported digits accuracy.
/// </summary>
internal static class DigitsDatasetLoader
{
    /// <summary>Share of each class in the test part.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Seed of the fixed train/test split.</summary>
    public const ulong SplitSeed = 1797;

    /// <summary>Loads <paramref name="fileName"/> from <paramref name="directory"/>.</summary>
    public static DatasetParts Load(DatasetInfo info, string directory, string fileName)
    {
        DigitsCsv csv = DigitsCsvReader.Read(Path.Combine(directory, fileName));
        var all = new Dataset(
            info.Name, info.SampleShape, PixelScaling.ToUnitRange(csv.Pixels, DigitsCsvReader.MaxPixelValue), csv.Labels, info.ClassNames);
        (int[] train, int[] test) = StratifiedSplit.Split(csv.Labels, info.ClassNames.Count, TestFraction, SplitSeed);
        return new DatasetParts(all.Subset(train, $"{info.Name}/train"), all.Subset(test, $"{info.Name}/test"));
    }
}
