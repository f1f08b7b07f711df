using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace EdgeLowRank.Compressor.Cli;

/// <summary>
/// The parser's messages name .NET types ("as expected type 'System.Nullable`1[System.Double]'"); a user needs to
/// know what to type instead. This says it in words, in one place, for every option of every command, and adds the one
/// error the parser does not see: a number written with a comma, which it reads as a thousands separator (--lr 0,1 trained
/// at rate 1).
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary><paramref name="message"/> with any .NET type name replaced by what the option takes.</summary>
    public static string ForUsers(string message) =>
        SingleArgument().Match(message) is { Success: true } repeated
            ? $"{repeated.Groups[1].Value} is given {repeated.Groups[2].Value} values; give it once, with one value."
            : ExpectedType().Replace(message, m => $"; expected {Describe(m.Groups[1].Value)}");

    /// <summary>One message per numeric option whose value holds a comma.</summary>
    public static IEnumerable<string> NumbersWithCommas(ParseResult parsed) =>
        parsed.CommandResult.Children.OfType<OptionResult>()
            .Where(o => IsNumeric(o.Option.ValueType))
            .SelectMany(o => o.Tokens.Where(t => t.Value.Contains(',')).Select(t =>
                $"{o.Option.Name} '{t.Value}' is not a number as elr reads them: write decimals with a point ({t.Value.Replace(',', '.')}) and no thousands separators."));

    private static bool IsNumeric(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var t
        && (t == typeof(int) || t == typeof(long) || t == typeof(ulong) || t == typeof(double) || t == typeof(float));

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

    [GeneratedRegex(@"^Option '([^']+)' expects a single argument but (\d+) were provided\.?$")]
    private static partial Regex SingleArgument();

    [GeneratedRegex(@" as expected type '([^']+)'")]
    private static partial Regex ExpectedType();
}
