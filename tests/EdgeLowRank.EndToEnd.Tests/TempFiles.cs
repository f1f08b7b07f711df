namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>A folder of scratch files deleted after the test.</summary>
public abstract class TempFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("elr-e2e-").FullName;

    protected string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
