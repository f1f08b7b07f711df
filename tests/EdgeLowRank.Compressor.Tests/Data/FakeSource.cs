using EdgeLowRank.Compressor.Data;

namespace EdgeLowRank.Compressor.Tests.Data;

/// <summary>A data source that writes given bytes (or fails on request) and counts its calls: no network.</summary>
internal sealed class FakeSource(IReadOnlyDictionary<string, byte[]> contents, Exception? failure = null) : IDataSource
{
    public int Calls { get; private set; }

    public string Description => "fake package";

    public void FetchInto(string directory, IReadOnlyList<PinnedFile> files, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        Calls++;
        progress?.Report("faking");
        foreach (PinnedFile file in files)
        {
            File.WriteAllBytes(Path.Combine(directory, file.CacheName), contents[file.CacheName]);
        }
        if (failure is not null)
        {
            throw failure; // after writing, as a download that dies half-way would
        }
    }
}
