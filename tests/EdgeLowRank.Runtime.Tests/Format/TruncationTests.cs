using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>A file cut short anywhere, whether at a section boundary or in the middle of a field, is
/// reported as truncated at the byte where it ends.</summary>
public sealed class TruncationTests : TempFolderTest
{
    private static readonly FileBytes Small = new(ModelWriter.ToArray(TestModels.Small()));

    public static TheoryData<int> SectionBoundaries => new(new[]
    {
        0, 8, 16, FormatConstants.HeaderSize, Small.Meta, Small.MetaEnd, Small.Tensors, Small.Layers, Small.Data, Small.DataEnd - 1,
    }.Concat(Enumerable.Range(0, 4).Select(i => FileBytes.SectionEntry(i))).Distinct());

    [Theory, MemberData(nameof(SectionBoundaries))]
    public void TruncatedAtASectionBoundary(int length) => AssertTruncatedAt(Small.Bytes[..length], length);

    [Fact]
    public void TruncatedAtEveryByteOfTheTablesAndEvery97thOfTheData()
    {
        for (int length = 0; length < Small.Bytes.Length; length += length < Small.Data ? 1 : 97)
            AssertTruncatedAt(Small.Bytes[..length], length);
    }

    [Fact]
    public void TruncatedGoldenFileFromDisk()
    {
        string path = Path.Combine(Folder, "cut.elr");
        byte[] golden = File.ReadAllBytes(Fixtures.Model("tiny-odd"));
        File.WriteAllBytes(path, golden[..(golden.Length / 2)]);
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(path));
        Assert.Equal(golden.Length / 2, error.Offset);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void EmptyFileIsAFormatErrorButAMissingFileIsAnIOError()
    {
        string empty = Path.Combine(Folder, "empty.elr");
        File.WriteAllBytes(empty, []);
        Assert.Equal(0, Assert.Throws<ModelFormatException>(() => ModelReader.Load(empty)).Offset);
        Assert.Throws<FileNotFoundException>(() => ModelReader.Load(Path.Combine(Folder, "missing.elr")));
        Assert.Throws<DirectoryNotFoundException>(() => ModelReader.Load(Path.Combine(Folder, "no", "such.elr")));
    }

    private static void AssertTruncatedAt(byte[] bytes, int length)
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelReader.Load(bytes));
        Assert.Equal(length, error.Offset);
        Assert.Contains(length < 8 ? "before" : "truncated", error.Message);
        using var stream = new MemoryStream(bytes);
        Assert.Equal(length, Assert.Throws<ModelFormatException>(() => ModelReader.Load(stream)).Offset);
    }
}
