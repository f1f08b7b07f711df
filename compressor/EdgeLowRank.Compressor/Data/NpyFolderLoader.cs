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
    /// <summary>Both parts' pixels with their labels, and the warnings if float pixels look unscaled (<see cref="UnscaledFloatPixels"/>)
    /// or uint8 ones of a small full scale (<see cref="DimBytePixels"/>).</summary>
    /// <exception cref="Runtime.IO.FilePathException">The folder holds test arrays alone.</exception>
    /// <exception cref="DatasetException">A file changed or holds NaN or infinity.</exception>
    public DatasetParts LoadParts(DatasetInfo info, string directory)
    {
        if (trainLabels is null) throw NpyFolderDataset.TestArraysAlone(directory);
        (Dataset train, FloatPixelRange? trainRange, byte? trainLargest) = Load(info, directory, "train", NpyFolderDataset.TrainImages, trainLabels);
        (Dataset test, FloatPixelRange? testRange, byte? testLargest) = Load(info, directory, "test", NpyFolderDataset.TestImages, testLabels);
        return new DatasetParts(train, test)
        {
            Warnings = Warnings(UnscaledFloatPixels.Warning(info.Name, [(NpyFolderDataset.TrainImages, trainRange), (NpyFolderDataset.TestImages, testRange)]),
                DimBytePixels.Warning(info.Name, [(NpyFolderDataset.TrainImages, trainLargest), (NpyFolderDataset.TestImages, testLargest)])),
        };
    }

    /// <summary>The test part's pixels with its labels, and the warnings as for both parts.</summary>
    public DatasetTestPart LoadTest(DatasetInfo info, string directory)
    {
        (Dataset test, FloatPixelRange? testRange, byte? testLargest) = Load(info, directory, "test", NpyFolderDataset.TestImages, testLabels);
        return new DatasetTestPart(test)
        {
            Warnings = Warnings(UnscaledFloatPixels.Warning(info.Name, [(NpyFolderDataset.TestImages, testRange)]),
                DimBytePixels.Warning(info.Name, [(NpyFolderDataset.TestImages, testLargest)])),
        };
    }

    private static string[] Warnings(params string?[] warnings) => [.. warnings.OfType<string>()];

    private static (Dataset Images, FloatPixelRange? Range, byte? LargestByte) Load(DatasetInfo info, string directory, string part, string imagesFile, byte[] labels) =>
        NpyImages.Load($"{info.Name}/{part}", Path.Combine(directory, imagesFile), info.SampleShape, labels, info.ClassNames);
}
