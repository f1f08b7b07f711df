namespace EdgeLowRank.Runtime.Cli;

/// <summary>What `elr-run --version` prints: the release and the commit it was built from ("0.1.0+70cd95a…"), as `elr
/// --version` does, so a pipeline can tell which build a board runs. The SDK puts the commit into the informational version
/// (SourceRevisionId), which the build writes into <see cref="BuildInfo"/>; the parser's own default is the release alone.</summary>
internal static class ToolVersion
{
    /// <summary>The informational version: the release, and the commit when the build had one.</summary>
    public static string Informational => BuildInfo.InformationalVersion;
}
