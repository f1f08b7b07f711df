namespace EdgeLowRank.Firmware.Tests;

/// <summary>The golden models (784 inputs, labels "0".."9", random weights: right for plumbing, not accuracy).</summary>
internal static class Fixtures
{
    public static string Dense => Path.Combine(AppContext.BaseDirectory, "fixtures", "lenet300-dense.elr");

    public static string Factorized => Path.Combine(AppContext.BaseDirectory, "fixtures", "lenet300-factorized.elr");

    /// <summary>A model whose input is a 1×37 row, no image.</summary>
    public static string TinyOdd => Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny-odd.elr");
}

/// <summary>A folder that is deleted when the test ends.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("elr-firmware-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
