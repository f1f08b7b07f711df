using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>How a 1.0 reader treats files of other versions (docs/FORMAT.md, "Versions").</summary>
public sealed class VersionTests
{
    private static readonly FileBytes Small = new(ModelWriter.ToArray(TestModels.Small()));

    [Fact]
    public void NewerMinorVersionIsRead()
    {
        using var model = ModelReader.Load(Small.With16(FileLayout.Header.Minor, 7));
        Assert.Equal(4, model.Layers.Count);
    }

    [Fact]
    public void UnknownLayerKindInANewerMinorVersionAsksForAnUpgrade()
    {
        byte[] bytes = new FileBytes(Small.With16(FileLayout.Header.Minor, 3)).With32(Small.Layer(1) + FileLayout.Layer.Kind, 42);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Contains("format 1.3, newer than this reader's 1.0; upgrade", error.Message);
    }

    [Fact]
    public void FutureMajorVersionSaysWhatThisReaderReads()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With16(FileLayout.Header.Major, 2)));
        Assert.Contains("format 2.0; this reader reads format 1.x only", error.Message);
    }

    [Fact]
    public void SectionTableInsideALargerDeclaredHeaderIsRejected()
    {
        // A 1.y header may be longer than 64 bytes; everything else then starts after it.
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With32(FileLayout.Header.HeaderSize, 128)));
        Assert.Equal(FileLayout.Header.SectionTableOffset, error.Offset);
    }
}
