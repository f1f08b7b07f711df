using EdgeLowRank.Runtime.Cli.Platform;
using EdgeLowRank.Samples.ThermalBench.Sensors;

namespace EdgeLowRank.Firmware.Tests;

public class SensorTests
{
    [Fact]
    public void Absent_sources_give_an_all_null_reading_without_throwing()
    {
        using var sensors = new BoardThermalSensors(() => null, () => new BoardSensors(null, null, null, null, null));
        ThermalReading reading = sensors.Read();
        Assert.Equal(ThermalReading.Absent, reading);
        Assert.Equal("n/a", reading.Agreement);
    }

    [Theory]
    [InlineData(51.0, 51.5, "yes")]
    [InlineData(51.0, 55.0, "no (Δ 4.0 °C)")]
    public void The_two_temperatures_are_cross_checked(double bindings, double sysfs, string agreement)
    {
        using var sensors = new BoardThermalSensors(() => bindings, () => new BoardSensors(sysfs, "cpu-thermal", 1_500_000, 1_800_000, "none (0x0)"));
        ThermalReading reading = sensors.Read();
        Assert.Equal(agreement, reading.Agreement);
        Assert.Equal(("cpu-thermal", "none (0x0)", 1_500_000L), (reading.SysfsZone, reading.Throttling, reading.FrequencyKHz!.Value));
    }

    [Fact]
    public void This_machine_reads_without_throwing_whatever_it_has()
    {
        using var sensors = BoardThermalSensors.OnThisMachine();
        ThermalReading reading = sensors.Read();
        Assert.True(reading.BindingsCelsius is null || double.IsFinite(reading.BindingsCelsius.Value));
    }
}
