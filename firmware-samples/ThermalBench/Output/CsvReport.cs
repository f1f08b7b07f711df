using System.Globalization;
using System.Text;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Samples.ThermalBench.Statistics;

namespace EdgeLowRank.Samples.ThermalBench.Output;

/// <summary>
/// The bench's CSV: one row per second (RFC 4180 quoting, invariant culture). Absent sensors are written as
/// "absent" rather than left empty, so a reader can tell "not measured" from a lost value.
/// </summary>
internal static class CsvReport
{
    /// <summary>The header row; scripts and spreadsheets rely on these names.</summary>
    public static readonly string[] Columns =
    [
        "second", "elapsed_s", "inferences", "missed", "p50_us", "p90_us", "p99_us", "max_us",
        "temp_bindings_c", "temp_sysfs_c", "temp_agree", "sysfs_zone", "throttling", "cpu_freq_mhz",
    ];

    /// <summary>The text for absent readings.</summary>
    public const string Absent = "absent";

    /// <summary>The whole CSV text for <paramref name="rows"/>.</summary>
    public static string Format(IEnumerable<SecondSummary> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns).Append('\n');
        foreach (SecondSummary r in rows)
        {
            string[] cells =
            [
                Integer(r.Second), Number(r.ElapsedSeconds, "F3"), Integer(r.Inferences), Integer(r.Missed),
                Number(r.P50Microseconds, "F1"), Number(r.P90Microseconds, "F1"), Number(r.P99Microseconds, "F1"), Number(r.MaxMicroseconds, "F1"),
                Number(r.Thermal.BindingsCelsius, "F1"), Number(r.Thermal.SysfsCelsius, "F1"), r.Thermal.Agreement,
                r.Thermal.SysfsZone ?? Absent, r.Thermal.Throttling ?? Absent, Number(r.Thermal.FrequencyKHz / 1000.0, "F0"),
            ];
            text.AppendJoin(',', cells.Select(Quote)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Writes the CSV atomically and flushed to the disk (SD cards on a Pi lose unflushed data on power loss): a
    /// reader never sees a half-written report.</summary>
    public static void Write(string path, IEnumerable<SecondSummary> rows) => AtomicFile.Write(path, new UTF8Encoding(false).GetBytes(Format(rows)));

    /// <summary>Quotes a cell holding a comma, quote or line break (throttling text lists flags with commas).</summary>
    internal static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? Absent;
}
