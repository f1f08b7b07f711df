using EdgeLowRank.Samples.ThermalBench.Sensors;

namespace EdgeLowRank.Samples.ThermalBench.Statistics;

/// <summary>One row of the report: the latency of the inferences run in one window (normally one second)
/// and the board's thermal state at its end. Percentiles are null when no inference ran.</summary>
internal sealed record SecondSummary(int Second, double ElapsedSeconds, int Inferences, int Missed,
    double? P50Microseconds, double? P90Microseconds, double? P99Microseconds, double? MaxMicroseconds, ThermalReading Thermal);
