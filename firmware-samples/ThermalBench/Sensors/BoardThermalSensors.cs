using EdgeLowRank.Runtime.Cli.Platform;
using Iot.Device.CpuTemperature;

namespace EdgeLowRank.Samples.ThermalBench.Sensors;

/// <summary>
/// The real sensors: Iot.Device.Bindings' <see cref="CpuTemperature"/> and elr-run's <see cref="BoardSensors"/>
/// (the same source file, compiled in, so this cross-check tests the reader elr-run reports with).
/// The two are read side by side so a wrong thermal zone or a unit error in either shows as disagreement.
/// </summary>
internal sealed class BoardThermalSensors : IThermalSensors
{
    private readonly Func<double?> _bindings;
    private readonly Func<BoardSensors> _sysfs;
    private readonly IDisposable? _owned;

    /// <summary>Uses the given readers; tests pass readers that report absent or fixed values.</summary>
    public BoardThermalSensors(Func<double?> bindings, Func<BoardSensors> sysfs, IDisposable? owned = null)
    {
        _bindings = bindings;
        _sysfs = sysfs;
        _owned = owned;
    }

    /// <summary>The sensors of the machine this runs on.</summary>
    public static BoardThermalSensors OnThisMachine()
    {
        var cpu = new CpuTemperature();
        return new BoardThermalSensors(() => ReadBindings(cpu), BoardSensors.Read, cpu);
    }

    /// <inheritdoc/>
    public ThermalReading Read()
    {
        BoardSensors sysfs = _sysfs();
        return new ThermalReading(_bindings(), sysfs.TemperatureCelsius, sysfs.TemperatureSource, sysfs.Throttling, sysfs.CurrentFrequencyKHz);
    }

    /// <summary>Disposes the CpuTemperature reader when this instance made it.</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>Only IsAvailable and Temperature are used: on Linux they read thermal_zone0 from sysfs. When that file holds
    /// no number (empty, "abc", out of range) CpuTemperature throws an ArgumentException (made from a NaN) or reports NaN;
    /// either way the reading is absent for that second, and the run goes on.</summary>
    private static double? ReadBindings(CpuTemperature cpu)
    {
        try
        {
            if (!cpu.IsAvailable) return null;
            double celsius = cpu.Temperature.DegreesCelsius;
            return double.IsFinite(celsius) ? celsius : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IOException)
        {
            return null;
        }
    }
}
