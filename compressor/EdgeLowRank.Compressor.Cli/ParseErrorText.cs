using System.Text.RegularExpressions;

namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// The parser's messages name .NET types ("as expected type 'System.Nullable`1[System.Double]'"); a user needs to
/// know what to type instead. This says it in words, in one place, for every option of every command.
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary><paramref name="message"/> with any .NET type name replaced by what the option takes.</summary>
    public static string ForUsers(string message) =>
        ExpectedType().Replace(message, m => $"; expected {Describe(m.Groups[1].Value)}");

    private static string Describe(string type) => type.Replace("System.Nullable`1[", "").TrimEnd(']') switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.UInt64" => "a whole number ≥ 0",
        "System.Double" or "System.Single" => "a number, such as 0.5 or 1e-6",
        "System.Boolean" => "true or false",
        "System.IO.FileInfo" => "a file path",
        "System.IO.DirectoryInfo" => "a folder path",
        string other => other[(other.LastIndexOf('.') + 1)..],
    };

    [GeneratedRegex(@" as expected type '([^']+)'")]
    private static partial Regex ExpectedType();
}
