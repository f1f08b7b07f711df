using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>The catalog's IDX reader (MNIST, Fashion-MNIST): the test part alone is what both parts hold as their test
/// part, and reads neither training file.</summary>
public sealed class IdxDatasetLoaderTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A set of 2×2 images, 3 to train and 2 to test, in the four files MNIST's are named after.</summary>
    private DatasetInfo Tiny(byte[]? trainImages = null)
    {
        File.WriteAllBytes(_folder.File("train-images"), trainImages ?? IdxBytes.Make([3, 2, 2], IdxBytes.Ramp(12)));
        File.WriteAllBytes(_folder.File("train-labels"), IdxBytes.Make([3], [0, 1, 1]));
        File.WriteAllBytes(_folder.File("test-images"), IdxBytes.Make([2, 2, 2], [.. IdxBytes.Ramp(8).Select(b => (byte)(b * 30))]));
        File.WriteAllBytes(_folder.File("test-labels"), IdxBytes.Make([2], [1, 0]));
        return new DatasetInfo("tiny", "tiny test set", new SampleShape(2, 2, 1), ["no", "yes"], 3, 2, new FakeSource(new Dictionary<string, byte[]>()), [],
            new IdxDatasetLoader("train-images", "train-labels", "test-images", "test-labels"));
    }

    [Fact]
    public void The_test_part_alone_is_the_test_part_of_both()
    {
        DatasetInfo tiny = Tiny();

        Dataset both = tiny.LoadFrom(_folder.Path).Test, alone = tiny.LoadTestFrom(_folder.Path).Test;

        Assert.Equal(("tiny/test", 2), (alone.Name, alone.Count));
        Assert.Equal(both.Pixels.ToArray(), alone.Pixels.ToArray());
        Assert.Equal(both.Labels.ToArray(), alone.Labels.ToArray());
    }

    [Fact]
    public void The_test_part_alone_reads_nothing_of_the_training_images()
    {
        // A valid header, then data cut short: reading the training images at all refuses them.
        DatasetInfo tiny = Tiny(trainImages: IdxBytes.Make([3, 2, 2], IdxBytes.Ramp(12))[..^5]);

        Assert.Equal([1, 0], tiny.LoadTestFrom(_folder.Path).Test.Labels.ToArray());
        DataFormatException e = Assert.Throws<DataFormatException>(() => tiny.LoadFrom(_folder.Path));
        Assert.Equal(_folder.File("train-images"), e.FilePath);
    }
}
