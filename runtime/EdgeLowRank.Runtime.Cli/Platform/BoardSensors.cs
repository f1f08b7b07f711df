using System.Globalization;

namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>
/// CPU temperature, clock and throttling, read straight from sysfs. elr-run reads them itself instead
/// of using Iot.Device.Bindings, which grew the NativeAOT binary from 1.4 MB to 11.6 MB and brought
/// trim warnings. Each reading is null when the kernel does not expose it. The ThermalBench sample
/// compiles this file (and SysfsFile.cs) in, to cross-check Iot.Device.Bindings: keep both self-contained.
/// </summary>
internal sealed record BoardSensors(double? TemperatureCelsius, string? TemperatureSource, long? CurrentFrequencyKHz,
    long? MaximumFrequencyKHz, string? Throttling)
{
    private const string CpuFreq = "/sys/devices/system/cpu/cpu0/cpufreq/";

    /// <summary>The Raspberry Pi firmware's throttle flags (as `vcgencmd get_throttled`); present on Pi kernels.</summary>
    private const string PiThrottled = "/sys/devices/platform/soc/soc:firmware/get_throttled";

    public static BoardSensors Read()
    {
        var (temperature, source) = ReadTemperature();
        return new BoardSensors(temperature, source,
            SysfsFile.ReadInteger(CpuFreq + "scaling_cur_freq"),
            SysfsFile.ReadInteger(CpuFreq + "cpuinfo_max_freq"),
            DescribeThrottling(SysfsFile.ReadText(PiThrottled)));
    }

    /// <summary>The first thermal zone whose type names the CPU or SoC, else the first zone with a reading.</summary>
    private static (double?, string?) ReadTemperature()
    {
        const string root = "/sys/class/thermal";
        if (!Directory.Exists(root)) return (null, null);
        (double?, string?) fallback = (null, null);
        foreach (string zone in Directory.EnumerateDirectories(root, "thermal_zone*").Order(StringComparer.Ordinal))
        {
            long? milli = SysfsFile.ReadInteger(Path.Combine(zone, "temp"));
            if (milli is null) continue;
            string type = SysfsFile.ReadText(Path.Combine(zone, "type")) ?? Path.GetFileName(zone);
            (double?, string?) reading = (milli.Value / 1000.0, type);
            if (type.Contains("cpu", StringComparison.OrdinalIgnoreCase) || type.Contains("soc", StringComparison.OrdinalIgnoreCase))
                return reading;
            fallback = fallback.Item1 is null ? reading : fallback;
        }
        return fallback;
    }

    /// <summary>Decodes the firmware's bit mask: bits 0–3 now, bits 16–19 since boot.</summary>
    internal static string? DescribeThrottling(string? raw)
    {
        if (raw is null) return null;
        string hex = raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? raw[2..] : raw;
        if (!uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint flags)) return $"unreadable ({raw})";
        if (flags == 0) return "none (0x0)";
        string[] names = ["under-voltage", "frequency capped", "throttled", "soft temperature limit"];
        var now = names.Where((_, bit) => (flags & (1u << bit)) != 0);
        var past = names.Where((_, bit) => (flags & (1u << (bit + 16))) != 0).Select(n => n + " (since boot)");
        return $"{string.Join(", ", now.Concat(past))} (0x{flags:x})";
    }
}
