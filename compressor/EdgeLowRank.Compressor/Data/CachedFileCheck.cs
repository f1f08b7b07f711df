namespace EdgeLowRank.Compressor.Data;

/// <summary>What a cached file holds, against the size and SHA-256 the catalog pins for it.</summary>
public enum CachedFileState
{
    /// <summary>The file has its pinned size and SHA-256: the bytes that were fetched and checked.</summary>
    Intact,

    /// <summary>The file is there but its size or SHA-256 differs from the pin: changed after the fetch.</summary>
    Changed,

    /// <summary>The file is not in the data set's cache folder.</summary>
    Missing,
}

/// <summary>One cached file checked against its pin (<see cref="CachedFiles.Check"/>).</summary>
/// <param name="File">The catalog's pin.</param>
/// <param name="Path">Where the file is (or should be) in the cache.</param>
/// <param name="State">What the check found.</param>
/// <param name="Length">The file's size in bytes; null when it is missing.</param>
/// <param name="Sha256">The file's SHA-256; null when it is missing or its size already differs (it is not hashed then).</param>
public sealed record CachedFileCheck(PinnedFile File, string Path, CachedFileState State, long? Length, string? Sha256)
{
    /// <summary>What differs, for a person, or null for an intact file: "missing", or the size or the sum found beside the pinned one.</summary>
    public string? Difference => State switch
    {
        CachedFileState.Missing => "missing",
        CachedFileState.Changed when Length != File.Length => $"{Length:N0} bytes, the catalog pins {File.Length:N0}",
        CachedFileState.Changed => $"same size, SHA-256 {FileSha256.Short(Sha256!)}, the catalog pins {FileSha256.Short(File.Sha256)}",
        _ => null,
    };
}
