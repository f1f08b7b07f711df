using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>How a 1.12 reader treats files of other versions (docs/FORMAT.md, "Versions"); the 1.0 to 1.11 releases
/// themselves are read by <see cref="GoldenFixtureTests"/>.</summary>
public sealed class VersionTests
{
    private static readonly FileBytes Small = new(ModelWriter.ToArray(TestModels.Small()));

    [Fact]
    public void NewerMinorVersionIsRead()
    {
        using var model = ModelReader.Load(Small.With16(FileLayout.Header.Minor, 13));
        Assert.Equal(4, model.Layers.Count);
    }

    [Fact]
    public void UnknownLayerKindInANewerMinorVersionAsksForAnUpgrade()
    {
        byte[] bytes = new FileBytes(Small.With16(FileLayout.Header.Minor, 13)).With32(Small.Layer(1) + FileLayout.Layer.Kind, 42);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Contains("format 1.13, newer than this reader's 1.12; upgrade", error.Message);
    }

    [Fact]
    public void UnknownLayerKindInThisMinorVersionIsDamage()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With32(Small.Layer(1) + FileLayout.Layer.Kind, 24)));
        Assert.Contains("kind 24; this reader knows 1 to 23", error.Message);
        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public void WriterWritesFormat1_12()
    {
        Assert.Equal((1, 12), (Small.Bytes[FileLayout.Header.Major] | Small.Bytes[FileLayout.Header.Major + 1] << 8, Small.Bytes[FileLayout.Header.Minor] | Small.Bytes[FileLayout.Header.Minor + 1] << 8));
        Assert.Equal((1, 12), (FormatConstants.MajorVersion, FormatConstants.MinorVersion));
    }

    [Fact]
    public void RowMajorWeightsSetTheRequiredFeatureAndPanel16FilesNone()
    {
        using var model = TestModels.Small();
        var panel16 = new FileBytes(ModelWriter.ToArray(model, WeightLayoutPolicy.Panel16));
        Assert.Equal(1u, Small.U32(FileLayout.Header.RequiredFlags));
        Assert.Equal(0u, panel16.U32(FileLayout.Header.RequiredFlags)); // what 1.0 and 1.1 readers accept
        Assert.Equal(12u, panel16.U32(FileLayout.Header.Minor) & 0xFFFF);
    }

    [Fact]
    public void UnknownRequiredFeatureNamesBothVersionsAndAsksForAnUpgrade()
    {
        // What a 1.2 reader does with bit 1 (int8 weights), seen from this reader with the next bit, in a 1.13 file.
        byte[] bytes = new FileBytes(Small.With16(FileLayout.Header.Minor, 13)).With32(FileLayout.Header.RequiredFlags, 0b10_0001);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Equal(FileLayout.Header.RequiredFlags, error.Offset);
        Assert.Contains("does not know 0x00000020 (format 1.12 defines 0x00000001 (row-major weight matrices, since 1.2), 0x00000002 (int8 weight matrices, since 1.3), 0x00000004 (padded max pooling, since 1.7), 0x00000008 (integer products, since 1.10) and 0x00000010 (integer convolutions, since 1.11); the file is 1.13). HINT: upgrade", error.Message);
    }

    [Fact]
    public void NonSquareWindowInANewerMinorVersionAsksForAnUpgrade()
    {
        var conv = new FileBytes(ModelWriter.ToArray(TestModels.Conv()));
        byte[] bytes = new FileBytes(conv.With16(FileLayout.Header.Minor, 13)).With32(conv.Layer(0) + FileLayout.Layer.Kernel + 4, 1);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Equal(conv.Layer(0) + FileLayout.Layer.Kernel + 4, error.Offset);
        Assert.Contains("format 1.13, newer than this reader's 1.12; upgrade", error.Message);
    }

    [Fact]
    public void FutureMajorVersionSaysWhatThisReaderReads()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With16(FileLayout.Header.Major, 2)));
        Assert.Contains("format 2.12; this reader reads format 1.x only", error.Message);
    }

    [Fact]
    public void SectionTableInsideALargerDeclaredHeaderIsRejected()
    {
        // A 1.y header may be longer than 64 bytes; everything else then starts after it.
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(Small.With32(FileLayout.Header.HeaderSize, 128)));
        Assert.Equal(FileLayout.Header.SectionTableOffset, error.Offset);
    }
}
