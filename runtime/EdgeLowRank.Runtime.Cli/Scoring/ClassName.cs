using System.Globalization;

namespace EdgeLowRank.Runtime.Cli.Scoring;

/// <summary>A class as elr-run prints it: the model's name for it (its labels metadata), or its index when the model records none.</summary>
internal static class ClassName
{
    /// <summary>The name of class <paramref name="index"/> among the model's <paramref name="names"/> (empty, or one per output).</summary>
    public static string Of(IReadOnlyList<string> names, int index) =>
        index < names.Count ? names[index] : index.ToString(CultureInfo.InvariantCulture);
}
