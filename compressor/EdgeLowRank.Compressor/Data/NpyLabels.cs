using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// The labels of a <see cref="NpyFolderDataset"/>: one integer per image, of any NumPy integer type (int64 is what NumPy
/// and PyTorch write), each naming a class 0..K−1 — at most 256 classes, as <see cref="Dataset"/> keeps a byte per label.
/// </summary>
internal static class NpyLabels
{
    /// <summary>The most classes a data set can have: labels are stored as bytes.</summary>
    public const int MaxClasses = 256;

    /// <summary>The labels in <paramref name="path"/>, one for each of the <paramref name="imageCount"/> images in <paramref name="imagesPath"/>.</summary>
    /// <exception cref="DataFormatException">Not integers, not one dimension, or not one per image.</exception>
    public static long[] Read(string path, string imagesPath, int imageCount)
    {
        NpyArray array = NpyFolderDataset.ReadArray(path);
        if (!array.IsInteger)
            throw DataFormatException.OfWholeFile(path, $"{path} holds {NpyHeader.Descr(array.DataType)} labels; labels must be integers "
                + "(int64 as NumPy and PyTorch save them, or int32, uint8, …): save y.astype(np.int64).");
        if (array.Shape.Count != 1)
            throw DataFormatException.OfWholeFile(path, $"{path} has shape ({string.Join(", ", array.Shape)}); labels must be one per image, shape (N,): save y.reshape(-1).");
        if (array.Shape[0] != imageCount)
            throw DataFormatException.OfWholeFile(path, $"{path} holds {array.Shape[0]:N0} labels, but {imagesPath} holds {imageCount:N0} images; give one label per image.");
        return array.ToInt64s();
    }

    /// <summary>The class count when no names are given: the largest label + 1 (at least 1; a negative label is refused later).</summary>
    /// <exception cref="DataFormatException">A label is beyond <see cref="MaxClasses"/>.</exception>
    public static int ClassCount(long[] train, long[] test, string trainPath, string testPath)
    {
        foreach ((long[] labels, string path) in new[] { (train, trainPath), (test, testPath) })
        {
            int tooLarge = Array.FindIndex(labels, l => l >= MaxClasses);
            if (tooLarge >= 0)
                throw new DataFormatException(path, $"index {tooLarge:N0}", $"label {labels[tooLarge]}; elr takes at most {MaxClasses} classes, labels 0 to {MaxClasses - 1}");
        }
        return (int)Math.Max(1, Math.Max(train.DefaultIfEmpty().Max(), test.DefaultIfEmpty().Max()) + 1); // a test-only folder has no training labels
    }

    /// <summary><paramref name="labels"/> as bytes, each checked to be below <paramref name="classCount"/>.</summary>
    /// <param name="labels">The labels.</param>
    /// <param name="path">Their file, for messages.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="countSource">Where the class count comes from, for messages ("the 10 lines of classes.txt").</param>
    /// <exception cref="DataFormatException">A label is negative or not below the class count.</exception>
    public static byte[] ToClasses(long[] labels, string path, int classCount, string countSource)
    {
        int bad = Array.FindIndex(labels, l => l < 0 || l >= classCount);
        if (bad >= 0)
            throw new DataFormatException(path, $"index {bad:N0}",
                $"label {labels[bad]} is {(labels[bad] < 0 ? "negative" : $"not below the class count {classCount} ({countSource})")}; labels must be 0 to {classCount - 1}");
        return [.. labels.Select(l => (byte)l)];
    }
}
