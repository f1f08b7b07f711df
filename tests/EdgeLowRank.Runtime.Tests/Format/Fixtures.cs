using System.Buffers.Binary;

namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>The golden files in tests/fixtures (see its README), found from the test binary's folder.</summary>
internal static class Fixtures
{
    public static readonly string[] Names = ["lenet300-dense", "lenet300-factorized", "tiny-odd"];

    public static string Folder { get; } = Find();

    public static string Model(string name) => Path.Combine(Folder, name + ".elr");

    /// <summary>A raw little-endian f32 file.</summary>
    public static float[] Floats(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/fixtures not found above {AppContext.BaseDirectory}.");
    }
}
