namespace EdgeLowRank.Samples.ThermalBench.Sensors;

/// <summary>Where thermal readings come from: the board's sensors, or a simulation.</summary>
internal interface IThermalSensors : IDisposable
{
    /// <summary>Reads every source once; absent sources give null values, never an exception.</summary>
    ThermalReading Read();
}
