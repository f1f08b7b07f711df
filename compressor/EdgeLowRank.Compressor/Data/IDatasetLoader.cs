namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Reads a data set's files from a folder, both parts or the test part alone. Evaluation and quantization need only the
/// test part, and the training part is most of the work: MNIST's 60,000 training images are 47 MB of bytes and 188 MB as
/// floats, which a command that only scores a model has no use for.
/// </summary>
public interface IDatasetLoader
{
    /// <summary>The training and test parts, read from <paramref name="directory"/>.</summary>
    /// <exception cref="DatasetException">A file is missing or malformed.</exception>
    DatasetParts LoadParts(DatasetInfo info, string directory);

    /// <summary>The test part alone, read from <paramref name="directory"/> without reading the training part's samples.</summary>
    /// <exception cref="DatasetException">A file the test part is read from is missing or malformed.</exception>
    DatasetTestPart LoadTest(DatasetInfo info, string directory);
}
