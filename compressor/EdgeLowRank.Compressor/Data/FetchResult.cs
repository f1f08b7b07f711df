namespace EdgeLowRank.Compressor.Data;

/// <summary>How a fetch ended.</summary>
public enum FetchOutcome
{
    /// <summary>The files were fetched, verified and put in the cache.</summary>
    Fetched,

    /// <summary>The data set was already in the cache, every file with its pinned SHA-256; nothing was fetched.</summary>
    AlreadyCached,

    /// <summary>The data set was fetched again and verified, and replaced the cached copy (<see cref="DatasetFetcher.ReplaceCached"/>).</summary>
    Replaced,
}

/// <summary>What a successful fetch did and where the files are.</summary>
/// <param name="Outcome">Fetched now, or already there.</param>
/// <param name="Directory">Its cache folder.</param>
public sealed record FetchResult(FetchOutcome Outcome, string Directory);
