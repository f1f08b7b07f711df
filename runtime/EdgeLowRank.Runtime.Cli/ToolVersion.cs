using System.Reflection;

namespace EdgeLowRank.Runtime.Cli;

/// <summary>What `elr-run --version` prints: the release and the commit it was built from ("0.1.0+70cd95a…"), as `elr
/// --version` does, so a pipeline can tell which build a board runs. The SDK puts the commit into the informational version
/// (SourceRevisionId); the parser's own default is the release alone.</summary>
internal static class ToolVersion
{
    /// <summary>The assembly's informational version, or its release number when the build recorded none.</summary>
    public static string Informational { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
