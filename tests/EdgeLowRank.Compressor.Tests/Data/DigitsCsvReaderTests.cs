using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

public sealed class DigitsCsvReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Line(int pixel, int label) => string.Join(',', Enumerable.Repeat(pixel, 64).Append(label));

    private string Write(string name, string text, bool gzip = false)
    {
        string path = _dir.File(name);
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(bytes) : bytes);
        return path;
    }

    [Fact]
    public void ReadsPixelsAndLabels()
    {
        string path = Write("digits.csv.gz", $"{Line(16, 3)}\n{Line(0, 9)}\n", gzip: true);

        DigitsCsv csv = DigitsCsvReader.Read(path);

        Assert.Equal(2, csv.Count);
        Assert.Equal(new byte[] { 3, 9 }, csv.Labels);
        Assert.Equal(128, csv.Pixels.Length);
        Assert.All(csv.Pixels[..64], p => Assert.Equal(16, p));
        Assert.All(csv.Pixels[64..], p => Assert.Equal(0, p));
    }

    [Fact]
    public void RejectsPixelOutOfRange()
    {
        string path = Write("bad.csv", Line(17, 1));

        var e = Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(path));

        Assert.Equal("line 1, column 1", e.Location);
        Assert.Contains("0..16", e.Message);
    }

    [Fact]
    public void RejectsLabelOutOfRangeOrNotAnInteger()
    {
        string badLabel = Write("label.csv", $"{Line(1, 2)}\n{Line(1, 10)}");
        string fraction = Write("fraction.csv", Line(1, 2).Replace("1,1,", "1.5,1,"));

        Assert.Equal("line 2, column 65", Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(badLabel)).Location);
        Assert.Contains("'1.5'", Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(fraction)).Message);
    }

    [Fact]
    public void RejectsWrongColumnCount()
    {
        string shortLine = Write("short.csv", "1,2,3");
        string longLine = Write("long.csv", Line(1, 2) + ",5");

        Assert.Contains("3 columns", Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(shortLine)).Message);
        Assert.Contains("66 columns", Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(longLine)).Message);
    }

    [Fact]
    public void RejectsEmptyFile()
    {
        Assert.Contains("no samples", Assert.Throws<DataFormatException>(() => DigitsCsvReader.Read(Write("empty.csv", ""))).Message);
    }
}
