using System.Globalization;

namespace EdgeLowRank.Samples.ThermalBench.Sensors;

/// <summary>
/// The board's thermal state at one moment, from two independent readers: Iot.Device.Bindings' CpuTemperature
/// and elr-run's own sysfs reader. Each value is null when its source is absent (a PC, a container, qemu).
/// </summary>
/// <param name="BindingsCelsius">CpuTemperature's reading.</param>
/// <param name="SysfsCelsius">elr-run's reading of the CPU thermal zone.</param>
/// <param name="SysfsZone">The thermal zone type elr-run chose, for example "cpu-thermal".</param>
/// <param name="Throttling">The Raspberry Pi firmware's throttle flags, decoded.</param>
/// <param name="FrequencyKHz">The current clock of CPU 0.</param>
internal sealed record ThermalReading(double? BindingsCelsius, double? SysfsCelsius, string? SysfsZone, string? Throttling, long? FrequencyKHz)
{
    /// <summary>The largest difference between the two temperatures still called agreement. Both read
    /// millidegrees, but possibly from different zones or a moment apart; 2 °C catches a wrong zone or unit.</summary>
    public const double ToleranceCelsius = 2.0;

    /// <summary>A reading with every source absent.</summary>
    public static ThermalReading Absent { get; } = new(null, null, null, null, null);

    /// <summary>"yes" or "no (Δ 3.1 °C)" when both temperatures exist; "n/a" when either is absent.</summary>
    public string Agreement => (BindingsCelsius, SysfsCelsius) switch
    {
        (double a, double b) when Math.Abs(a - b) <= ToleranceCelsius => "yes",
        (double a, double b) => string.Create(CultureInfo.InvariantCulture, $"no (Δ {Math.Abs(a - b):F1} °C)"),
        _ => "n/a",
    };
}
