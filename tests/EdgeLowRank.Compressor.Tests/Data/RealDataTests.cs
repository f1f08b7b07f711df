using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>The catalog's data sets as they really are, read from the cache.</summary>
public sealed class RealDataTests
{
    private static void AssertPart(Dataset part, int count, SampleShape shape)
    {
        Assert.Equal(count, part.Count);
        Assert.Equal(shape, part.SampleShape);
        Assert.Equal(count * shape.Size, part.Pixels.Length);
        Assert.Equal(10, part.ClassCount);
        // Every class present, every pixel in [0, 1] with some ink.
        Assert.Equal(Enumerable.Range(0, 10), part.Labels.ToArray().Distinct().Order().Select(l => (int)l));
        float[] pixels = part.Pixels.ToArray();
        Assert.Equal(0f, pixels.Min());
        Assert.Equal(1f, pixels.Max());
    }

    [RealDataFact("mnist")]
    public void Mnist()
    {
        DatasetParts mnist = RealData.Load("mnist");

        AssertPart(mnist.Train, 60_000, new SampleShape(28, 28, 1));
        AssertPart(mnist.Test, 10_000, new SampleShape(28, 28, 1));
        // The first training image is the well-known 5.
        Assert.Equal(5, mnist.Train.Labels.Span[0]);
    }

    [RealDataFact("fashion-mnist")]
    public void FashionMnist()
    {
        DatasetParts fashion = RealData.Load("fashion-mnist");

        AssertPart(fashion.Train, 60_000, new SampleShape(28, 28, 1));
        AssertPart(fashion.Test, 10_000, new SampleShape(28, 28, 1));
        Assert.Equal("T-shirt/top", fashion.Train.ClassNames[0]);
        Assert.Equal("Ankle boot", fashion.Train.ClassNames[fashion.Train.Labels.Span[0]]);
    }

    [RealDataFact("mnist")]
    public void MnistTestLabelsChangedInPlaceAreRefusedOnLoad()
    {
        // The trial's change: 500 test labels edited in place, the same size; eval reported 93.40% instead of 98.33%.
        // A copy of the cache, never the cache itself: the test files copied, the training files only sized (the test part
        // alone must not hash them, so zeros of the pinned size do).
        using var copy = new TempDirectory();
        var cache = new DataCache(copy.Path);
        DatasetInfo mnist = DatasetCatalog.Mnist;
        string folder = Directory.CreateDirectory(cache.DirectoryOf(mnist)).FullName;
        foreach (PinnedFile file in mnist.Files)
        {
            string target = Path.Combine(folder, file.CacheName);
            if (mnist.TestFileNames.Contains(file.CacheName)) File.Copy(Path.Combine(RealData.Cache.DirectoryOf(mnist), file.CacheName), target);
            else using (FileStream zeros = File.Create(target)) zeros.SetLength(file.Length);
        }
        var fetcher = new DatasetFetcher(cache, offline: true); // a fetch attempt fails the test instead of reaching the network
        Assert.Equal(10_000, fetcher.LoadTest(mnist).Test.Count);

        string labels = Path.Combine(folder, "t10k-labels-idx1-ubyte");
        byte[] bytes = File.ReadAllBytes(labels);
        for (int i = 0; i < 500; i++) bytes[8 + i] = (byte)((bytes[8 + i] + 1) % 10);
        File.WriteAllBytes(labels, bytes);

        var e = Assert.Throws<DataFormatException>(() => fetcher.LoadTest(mnist));
        Assert.Equal(labels, e.FilePath);
        Assert.Contains("elr data fetch mnist --force", e.Message);
        Assert.Equal(
            [CachedFileState.Changed, CachedFileState.Changed, CachedFileState.Intact, CachedFileState.Changed],
            CachedFiles.Check(cache, mnist, mnist.Files).Select(c => c.State));
    }

    [RealDataFact("digits")]
    public void Digits()
    {
        DatasetParts digits = RealData.Load("digits");

        Assert.Equal(1797, digits.Train.Count + digits.Test.Count);
        AssertPart(digits.Train, DatasetCatalog.Digits.TrainCount, new SampleShape(8, 8, 1));
        AssertPart(digits.Test, DatasetCatalog.Digits.TestCount, new SampleShape(8, 8, 1));
        // The fixed split: loading twice gives the same test set.
        Assert.Equal(digits.Test.Pixels.ToArray(), RealData.Load("digits").Test.Pixels.ToArray());
        // The test part alone is the same split's test part.
        Dataset alone = RealData.LoadTest("digits").Test;
        Assert.Equal(digits.Test.Pixels.ToArray(), alone.Pixels.ToArray());
        Assert.Equal(digits.Test.Labels.ToArray(), alone.Labels.ToArray());
    }
}
