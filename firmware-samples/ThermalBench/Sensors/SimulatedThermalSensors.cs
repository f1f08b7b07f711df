using EdgeLowRank.Samples.ThermalBench.Scheduling;

namespace EdgeLowRank.Samples.ThermalBench.Sensors;

/// <summary>
/// Sensors for trying the bench without a board: the temperature rises from 45 °C toward 70 °C with a one-minute
/// time constant, like a Pi 4 without a heatsink under load; throttling reads "none (simulated)". Both readers
/// report the same value, so the cross-check agrees.
/// </summary>
internal sealed class SimulatedThermalSensors(IClock clock) : IThermalSensors
{
    private readonly long _start = clock.Now;

    /// <inheritdoc/>
    public ThermalReading Read()
    {
        double seconds = (double)(clock.Now - _start) / clock.Frequency;
        double celsius = Math.Round(70.0 - 25.0 * Math.Exp(-seconds / 60.0), 1);
        return new ThermalReading(celsius, celsius, "simulated", "none (simulated)", 1_500_000);
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
