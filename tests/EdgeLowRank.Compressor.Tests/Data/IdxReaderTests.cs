using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsRawFile()
    {
        string path = Write("images", IdxBytes.Make([2, 3, 4], IdxBytes.Ramp(24)));

        IdxArray array = IdxReader.Read(path);

        Assert.Equal([2, 3, 4], array.Dimensions);
        Assert.Equal(IdxBytes.Ramp(24), array.Data);
    }

    [Fact]
    public void ReadsGzipFileWhateverItsName()
    {
        string path = Write("labels-without-gz-suffix", IdxBytes.Gzip(IdxBytes.Make([5], [9, 8, 7, 6, 5])));

        IdxArray array = IdxReader.Read(path);

        Assert.Equal([5], array.Dimensions);
        Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, array.Data);
    }

    [Fact]
    public void RejectsWrongMagic()
    {
        byte[] bytes = IdxBytes.Make([3], [1, 2, 3]);
        bytes[0] = 0x50; // e.g. a PNG or text file
        string path = Write("bad-magic", bytes);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("offset 0", e.Message);
        Assert.Contains("bad magic", e.Message);
    }

    [Fact]
    public void RejectsNonByteElementType()
    {
        string path = Write("floats", IdxBytes.Make([1], [0, 0, 0, 0], type: 0x0D));

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Contains("offset 2", e.Message);
        Assert.Contains("0x0d (32-bit float)", e.Message);
        Assert.Contains("only 0x08", e.Message);
    }

    [Fact]
    public void RejectsFileShorterThanMagic()
    {
        string path = Write("short", [0, 0]);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Contains("2 bytes long", e.Message);
    }

    [Fact]
    public void RejectsFileEndingInsideHeader()
    {
        byte[] bytes = IdxBytes.Make([2, 2], [1, 2, 3, 4]);
        string path = Write("cut-header", bytes[..9]);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Contains("inside the header", e.Message);
    }

    [Fact]
    public void RejectsRawFileWhoseHeaderClaimsMoreThanPresent()
    {
        // The header says 10×10×10 = 1000 bytes; only 7 follow.
        string path = Write("truncated", IdxBytes.Make([10, 10, 10], IdxBytes.Ramp(7)));

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Contains("10×10×10", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void RejectsGzipFileWhoseHeaderClaimsMoreThanPresent()
    {
        string path = Write("truncated.gz", IdxBytes.Gzip(IdxBytes.Make([1000, 1000], IdxBytes.Ramp(50))));

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));

        Assert.Contains("decompressed", e.Location);
        Assert.Contains("50 of 1000000", e.Message);
    }

    [Fact]
    public void RejectsTrailingBytes()
    {
        byte[] bytes = [.. IdxBytes.Make([2], [1, 2]), 99];
        string raw = Write("trailing", bytes);
        string gzip = Write("trailing.gz", IdxBytes.Gzip(bytes));

        Assert.Contains("beyond", Assert.Throws<DataFormatException>(() => IdxReader.Read(raw)).Message);
        Assert.Contains("more data follows", Assert.Throws<DataFormatException>(() => IdxReader.Read(gzip)).Message);
    }

    [Fact]
    public void RejectsZeroDimensionAndAbsurdSizesBeforeAllocating()
    {
        string zero = Write("zero", IdxBytes.Make([3, 0], []));
        string huge = Write("huge", IdxBytes.Make([int.MaxValue, int.MaxValue], []));

        Assert.Contains("dimension 1 has size 0", Assert.Throws<DataFormatException>(() => IdxReader.Read(zero)).Message);
        Assert.Contains("describe more than", Assert.Throws<DataFormatException>(() => IdxReader.Read(huge)).Message);
    }

    [Fact]
    public void MissingFileIsAFilePathError()
    {
        var e = Assert.Throws<EdgeLowRank.Runtime.IO.FilePathException>(() => IdxReader.Read(_dir.File("absent")));

        Assert.Contains("not found", e.Message);
    }
}
