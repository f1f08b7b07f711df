namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Reads the pixels of a <see cref="NpyFolderDataset"/>, whose labels, headers and class names <see cref="NpyFolderDataset.Open"/>
/// has already read and checked. The test part alone reads test-images.npy and nothing of train-images.npy (whose header
/// Open has checked against the test images'), and its float-pixel warning covers only the arrays it read.
/// </summary>
/// <param name="trainLabels">The training labels, as classes; null for a folder of test arrays alone.</param>
/// <param name="testLabels">The test labels, as classes.</param>
internal sealed class NpyFolderLoader(byte[]? trainLabels, byte[] testLabels) : IDatasetLoader
{
    /// <summary>Both parts' pixels with their labels, and the warning if float pixels look unscaled (<see cref="UnscaledFloatPixels"/>).</summary>
    /// <exception cref="DatasetException">The folder holds test arrays alone, or a file changed or holds NaN or infinity.</exception>
    public DatasetParts LoadParts(DatasetInfo info, string directory)
    {
        if (trainLabels is null) throw NpyFolderDataset.TestArraysAlone(directory);
        (Dataset train, FloatPixelRange? trainRange) = Load(info, directory, "train", NpyFolderDataset.TrainImages, trainLabels);
        (Dataset test, FloatPixelRange? testRange) = Load(info, directory, "test", NpyFolderDataset.TestImages, testLabels);
        string? warning = UnscaledFloatPixels.Warning(info.Name, [(NpyFolderDataset.TrainImages, trainRange), (NpyFolderDataset.TestImages, testRange)]);
        return new DatasetParts(train, test) { Warnings = warning is null ? [] : [warning] };
    }

    /// <summary>The test part's pixels with its labels, and the warning if they are float pixels that look unscaled.</summary>
    public DatasetTestPart LoadTest(DatasetInfo info, string directory)
    {
        (Dataset test, FloatPixelRange? testRange) = Load(info, directory, "test", NpyFolderDataset.TestImages, testLabels);
        string? warning = UnscaledFloatPixels.Warning(info.Name, [(NpyFolderDataset.TestImages, testRange)]);
        return new DatasetTestPart(test) { Warnings = warning is null ? [] : [warning] };
    }

    private static (Dataset Images, FloatPixelRange? Range) Load(DatasetInfo info, string directory, string part, string imagesFile, byte[] labels) =>
        NpyImages.Load($"{info.Name}/{part}", Path.Combine(directory, imagesFile), info.SampleShape, labels, info.ClassNames);
}
