using System.Reflection;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// The elr that wrote a log, which the log names beside its output's digest (<see cref="Compressor.Data.FileSha256"/>), so
/// that a pipeline can tell which build made a model and check that the model it ships is the one the log describes (a
/// trial's two runs into one -o left a log of a model no longer there, and nothing to tell).
/// </summary>
internal static class LogProvenance
{
    /// <summary>elr's version with the commit it was built from ("0.1.0+cf68492…"), as <c>elr --version</c> prints it.</summary>
    public static string ProducerVersion { get; } =
        typeof(LogProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
