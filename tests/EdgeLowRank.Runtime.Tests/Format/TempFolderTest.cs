namespace EdgeLowRank.Runtime.Tests.Format;

/// <summary>Base for tests that write files: each test gets a fresh folder, deleted afterwards.</summary>
public abstract class TempFolderTest : IDisposable
{
    /// <summary>The test's own folder.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("elr-format-").FullName;

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
