using System.Text.Json;
using EdgeLowRank.Runtime.Cli.Profiling;
using EdgeLowRank.Runtime.Layers;
using EdgeLowRank.Runtime.Tests.Format;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>A profiled convolution's window in the latency table `elr-run profile` writes: its padding one number when every
/// side is alike, as tables read before format 1.13, and top, left, bottom, right when not (TensorFlow's SAME at stride 2).</summary>
public sealed class LatencyTableWriterTests : TempFolderTest
{
    [Fact]
    public void AConvolutionsPaddingIsOneNumberWhenEvenAndItsFourSidesWhenNot()
    {
        var same = new ConvShape(28, 28, 1, 12, 3, 2, new WindowPadding(0, 0, 1, 1));
        var stem = new ConvShape(28, 28, 1, 12, 3, 1, WindowPadding.Even(1));
        LatencyEntry Entry(ConvShape c) => new("conv2d", c.PatchLength, c.OutputChannels, 0, c.CompressorKey.OutputPixels, 1e-4, c);
        var table = new LatencyTable("test cpu", null, "linux-x64", [], 1, 3, DateTimeOffset.UnixEpoch, [Entry(same), Entry(stem)]);
        string path = Path.Combine(Folder, "latency.json");

        LatencyTableWriter.Write(table, path);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement[] entries = [.. json.RootElement.GetProperty("entries").EnumerateArray()];
        Assert.Equal([0, 0, 1, 1], entries[0].GetProperty("padding").EnumerateArray().Select(side => side.GetInt32()));
        Assert.Equal(1, entries[1].GetProperty("padding").GetInt32());
        // The output pixels a compressor looks the convolution up by: 14×14 from each side's padding (28 + 0 + 1 − 3) / 2 + 1.
        Assert.Equal([14 * 14, 28 * 28], entries.Select(e => e.GetProperty("outputPixels").GetInt32()));
    }
}
