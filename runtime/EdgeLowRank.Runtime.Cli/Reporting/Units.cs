using System.Globalization;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>Human-readable numbers for reports (invariant culture, so output is the same on every board).</summary>
internal static class Units
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.00} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    public static string Microseconds(double seconds) => (seconds * 1e6).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A one-off duration with its unit: µs below a millisecond, ms below a second, s above.</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 1e-3 => $"{Microseconds(seconds)} µs",
        < 1 => (seconds * 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public static string Fixed(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);
}
