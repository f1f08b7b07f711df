namespace EdgeLowRank.Bench;

/// <summary>Shared by the bench projects (linked source). Finds tests/fixtures from wherever BenchmarkDotNet runs the benchmark process (or $ELR_FIXTURES).</summary>
internal static class FixtureDirectory
{
    public static string Find()
    {
        string? overridden = Environment.GetEnvironmentVariable("ELR_FIXTURES");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeLowRank.sln")))
                return Path.Combine(dir.FullName, "tests", "fixtures");
        }
        throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory + "; set ELR_FIXTURES.");
    }
}
