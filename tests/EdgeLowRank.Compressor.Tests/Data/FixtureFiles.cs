namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>Files under the repository's tests/fixtures, found by walking up from the test binaries.</summary>
internal static class FixtureFiles
{
    /// <summary>The full path of tests/fixtures/<paramref name="relative"/>.</summary>
    /// <exception cref="FileNotFoundException">No folder above the test binaries holds it.</exception>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/fixtures/{relative} not found above {AppContext.BaseDirectory}.");
    }
}
