namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Builds train and test parts from four IDX files (images N×H×W and labels N), as MNIST and
/// Fashion-MNIST ship them. Checks that images match the catalog's shape, that image and label
/// counts agree and that every label names a class.
/// </summary>
internal static class IdxDatasetLoader
{
    /// <summary>Loads the four files from <paramref name="directory"/>.</summary>
    public static DatasetParts Load(
        DatasetInfo info, string directory, string trainImages, string trainLabels, string testImages, string testLabels) =>
        new(
            LoadPart(info, $"{info.Name}/train", Path.Combine(directory, trainImages), Path.Combine(directory, trainLabels)),
            LoadPart(info, $"{info.Name}/test", Path.Combine(directory, testImages), Path.Combine(directory, testLabels)));

    private static Dataset LoadPart(DatasetInfo info, string name, string imagesPath, string labelsPath)
    {
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
