using System.Reflection;
using System.Security.Cryptography;

namespace EdgeLowRank.Compressor.Cli.Display;

/// <summary>
/// What a log says of where its file came from: the elr that wrote it and the file's digest, so that a pipeline can tell
/// which build made a model and check that the model it ships is the one the log describes (a trial's two runs into one
/// -o left a log of a model no longer there, and nothing to tell).
/// </summary>
internal static class LogProvenance
{
    /// <summary>elr's version with the commit it was built from ("0.1.0+cf68492…"), as <c>elr --version</c> prints it.</summary>
    public static string ProducerVersion { get; } =
        typeof(LogProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The SHA-256 of the file at <paramref name="path"/> in lower-case hex, as <c>sha256sum</c> prints it.</summary>
    public static string Sha256Of(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
