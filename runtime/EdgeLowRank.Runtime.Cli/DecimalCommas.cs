using System.Text.RegularExpressions;

namespace EdgeLowRank.Runtime.Cli;

/// <summary>
/// The parser reads "1,5" as 15 (a thousands separator), so `--duration 1,5` ran for 15 s and `--rtol 1,5` compared
/// with a tolerance of 15. A number with a comma is refused before parsing; paths (the model, --input, --output,
/// --expect) may hold commas and are left alone.
/// </summary>
internal static partial class DecimalCommas
{
    private static readonly string[] PathOptions = ["-i", "--input", "-o", "--output", "--expect"];

    /// <summary>The message for the first numeric value written with a comma, or null when there is none.</summary>
    public static string? Find(string[] args)
    {
        for (int i = 1; i < args.Length; i++)
        {
            bool isPath = PathOptions.Contains(args[i - 1]) || (i == 1 && args[0] is "info" or "run" or "bench");
            if (!isPath && NumberWithComma().IsMatch(args[i]))
                return $"{args[i - 1]} '{args[i]}' is not a number as elr-run reads them: write decimals with a point ({args[i].Replace(',', '.')}) and no thousands separators.";
        }
        return null;
    }

    [GeneratedRegex(@"^[+-]?[0-9]*,[0-9,]*(\.[0-9]*)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex NumberWithComma();
}
