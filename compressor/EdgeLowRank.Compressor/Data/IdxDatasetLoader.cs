namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Builds train and test parts from four IDX files (images N×H×W and labels N), as MNIST and
/// Fashion-MNIST ship them. Checks that images match the catalog's shape, that image and label
/// counts agree and that every label names a class. Each part is read from its own two files, so
/// the test part alone reads neither training file.
/// </summary>
/// <param name="trainImages">The training images' file name.</param>
/// <param name="trainLabels">The training labels' file name.</param>
/// <param name="testImages">The test images' file name.</param>
/// <param name="testLabels">The test labels' file name.</param>
internal sealed class IdxDatasetLoader(string trainImages, string trainLabels, string testImages, string testLabels) : IDatasetLoader
{
    /// <inheritdoc />
    public DatasetParts LoadParts(DatasetInfo info, string directory) =>
        new(LoadPart(info, $"{info.Name}/train", directory, trainImages, trainLabels), LoadTest(info, directory).Test);

    /// <inheritdoc />
    public DatasetTestPart LoadTest(DatasetInfo info, string directory) =>
        new(LoadPart(info, $"{info.Name}/test", directory, testImages, testLabels));

    private static Dataset LoadPart(DatasetInfo info, string name, string directory, string imagesFile, string labelsFile)
    {
        string imagesPath = Path.Combine(directory, imagesFile), labelsPath = Path.Combine(directory, labelsFile);
        IdxArray images = IdxReader.Read(imagesPath);
        IdxArray labels = IdxReader.Read(labelsPath);
        SampleShape shape = info.SampleShape;

        if (images.Dimensions.Count != 3 || images.Dimensions[1] != shape.Height || images.Dimensions[2] != shape.Width)
        {
            throw new DataFormatException(imagesPath, "offset 3",
                $"images are {string.Join('×', images.Dimensions)}; {info.Name} needs N×{shape.Height}×{shape.Width}");
        }
        if (labels.Dimensions.Count != 1 || labels.Dimensions[0] != images.Dimensions[0])
        {
            throw new DataFormatException(labelsPath, "offset 3",
                $"labels are {string.Join('×', labels.Dimensions)}; expected one label for each of the {images.Dimensions[0]} images in {imagesPath}");
        }
        int bad = labels.Data.AsSpan().IndexOfAnyInRange((byte)info.ClassNames.Count, byte.MaxValue);
        if (bad >= 0)
        {
            const int labelHeaderLength = 8;
            throw new DataFormatException(labelsPath, $"offset {labelHeaderLength + bad}",
                $"label {labels.Data[bad]}; {info.Name} has classes 0..{info.ClassNames.Count - 1}");
        }

        return new Dataset(name, shape, PixelScaling.ToUnitRange(images.Data, byte.MaxValue), labels.Data, info.ClassNames);
    }
}
