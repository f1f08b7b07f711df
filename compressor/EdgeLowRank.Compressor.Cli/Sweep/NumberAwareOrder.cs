using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeLowRank.Compressor.Cli.Sweep;

/// <summary>
/// Orders texts as a reader does, numbers by value: "--steps 2" before "--steps 10" before "--steps 35", where ordinal
/// order put "--steps 35" before "--steps 4" in a plot's legend. .NET's <c>CompareOptions.NumericOrdering</c> would do it,
/// but the tools run with invariant globalization, where it compares as ordinal.
/// </summary>
internal sealed partial class NumberAwareOrder : IComparer<string?>
{
    /// <summary>The one instance; the order keeps no state.</summary>
    public static readonly NumberAwareOrder Instance = new();

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        string[] a = Pieces().Split(x), b = Pieces().Split(y);
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int order = double.TryParse(a[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double p)
                && double.TryParse(b[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double q)
                ? p.CompareTo(q) : string.CompareOrdinal(a[i], b[i]);
            if (order != 0) return order;
        }
        // Equal pieces that read differently ("0.50" and "0.5"), or one text a prefix of the other: ordinal decides.
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(x, y);
    }

    /// <summary>Splits a text into its numbers (digits, with one decimal point and an exponent: the settings write a weight
    /// decay of 1e-5 as 1E-05) and the text between them, keeping both.</summary>
    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")]
    private static partial Regex Pieces();
}
