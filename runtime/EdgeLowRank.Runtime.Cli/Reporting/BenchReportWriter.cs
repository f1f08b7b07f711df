using System.Text;
using EdgeLowRank.Runtime.Cli.Platform;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>Turns a <see cref="BenchReport"/> into the readable table or the JSON document.</summary>
internal static class BenchReportWriter
{
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99];

    public static string Render(BenchReport r)
    {
        double[] p = r.Latency.Percentiles(Quantiles);
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine($"model            {r.ModelPath} ({Units.Bytes(r.ModelBytes)}, {Units.Count(r.Parameters)} parameters, {Units.Count(r.MultiplyAccumulates)} MACs/sample)");
        text.AppendLine($"settings         batch {s.Batch}, threads {s.Threads}, run threads {s.RunThreads}, kernel {s.Kernel.ToString().ToLowerInvariant()}, " +
                        (s.Duration is double duration ? $"duration {Units.Fixed(duration, "0.##")} s" : $"runs {Units.Count(s.Runs)}/thread"));
        text.AppendLine($"load             {Units.Duration(r.LoadSeconds)}");
        text.AppendLine($"first inference  {Units.Duration(r.FirstInferenceSeconds)}");
        text.AppendLine($"warm-up          {Units.Count(r.WarmupRuns)} runs in {Units.Duration(r.WarmupSeconds)}");
        text.AppendLine();
        var table = new TextTable("latency (µs)", "count", "min", "mean", "std", "p50", "p90", "p95", "p99", "max");
        table.Add($"per inference (batch {s.Batch})", Units.Count(r.Latency.Count), Units.Microseconds(r.Latency.Min), Units.Microseconds(r.Latency.Mean),
            Units.Microseconds(r.Latency.StandardDeviation), Units.Microseconds(p[0]), Units.Microseconds(p[1]), Units.Microseconds(p[2]),
            Units.Microseconds(p[3]), Units.Microseconds(r.Latency.Max));
        text.Append(table);
        text.AppendLine();
        text.AppendLine($"throughput       {Units.Count((long)Math.Round(r.InferencesPerSecond))} samples/s over {Units.Duration(r.MeasuredSeconds)}");
        text.AppendLine($"arena            {Units.Bytes(r.ArenaBytes)} per concurrent run (planned at load)");
        text.AppendLine($"packed weights   {Units.Bytes(r.PackedWeightBytes)} (row-major weights of the file packed into panels at load)");
        text.AppendLine($"managed alloc    {Units.Fixed(r.ManagedBytesPerInference, "0.##")} bytes per inference");
        text.AppendLine($"peak RSS         {(r.PeakResidentBytes is long rss ? Units.Bytes(rss) : "absent")} (VmHWM)");
        text.AppendLine($"binary           {r.BuiltFor}; uses {string.Join(", ", r.InstructionsUsed)}");
        text.AppendLine($"cpu              {r.Cpu.Model}, {r.Cpu.LogicalCores} logical cores; offers {(r.Cpu.SimdFeatures.Count > 0 ? string.Join(", ", r.Cpu.SimdFeatures) : "(no SIMD flags listed)")}");
        if (r.Cpu.Board is not null) text.AppendLine($"board            {r.Cpu.Board}");
        text.AppendLine($"temperature      {Celsius(r.SensorsBefore)} before, {Celsius(r.SensorsAfter)} after");
        text.AppendLine($"frequency        {MHz(r.SensorsAfter.CurrentFrequencyKHz)} now, {MHz(r.SensorsAfter.MaximumFrequencyKHz)} max");
        text.AppendLine($"throttling       {r.SensorsAfter.Throttling ?? "absent (no Raspberry Pi firmware node)"}");
        if (r.PerLayer.Count > 0)
        {
            text.AppendLine();
            var layers = new TextTable("step", "mean µs", "share");
            double total = r.PerLayer.Sum(l => l.Seconds);
            foreach (var (step, seconds) in r.PerLayer)
                layers.Add(step, Units.Microseconds(seconds), $"{seconds / Math.Max(total, double.Epsilon) * 100:0.0}%");
            text.Append(layers);
        }
        return text.ToString();
    }

    public static void WriteJson(BenchReport r) => JsonOutput.Write(w =>
    {
        double[] p = r.Latency.Percentiles(Quantiles);
        w.WriteString("model", r.ModelPath);
        w.WriteNumber("modelBytes", r.ModelBytes);
        w.WriteNumber("parameters", r.Parameters);
        w.WriteNumber("multiplyAccumulates", r.MultiplyAccumulates);
        w.WriteNumber("batch", r.Settings.Batch);
        w.WriteNumber("threads", r.Settings.Threads);
        w.WriteNumber("runThreads", r.Settings.RunThreads);
        w.WriteString("kernel", r.Settings.Kernel.ToString().ToLowerInvariant());
        w.WriteNumber("loadSeconds", r.LoadSeconds);
        w.WriteNumber("firstInferenceSeconds", r.FirstInferenceSeconds);
        w.WriteNumber("warmupRuns", r.WarmupRuns);
        w.WriteNumber("warmupSeconds", r.WarmupSeconds);
        w.WriteStartObject("latencySeconds");
        w.WriteNumber("count", r.Latency.Count);
        w.WriteNumber("min", r.Latency.Min);
        w.WriteNumber("max", r.Latency.Max);
        w.WriteNumber("mean", r.Latency.Mean);
        w.WriteNumber("std", r.Latency.StandardDeviation);
        w.WriteNumber("p50", p[0]);
        w.WriteNumber("p90", p[1]);
        w.WriteNumber("p95", p[2]);
        w.WriteNumber("p99", p[3]);
        w.WriteEndObject();
        w.WriteNumber("measuredSeconds", r.MeasuredSeconds);
        w.WriteNumber("samplesPerSecond", r.InferencesPerSecond);
        w.WriteNumber("arenaBytes", r.ArenaBytes);
        w.WriteNumber("packedWeightBytes", r.PackedWeightBytes);
        w.WriteNumber("managedBytesPerInference", r.ManagedBytesPerInference);
        w.WriteNumberOrNull("peakResidentBytes", r.PeakResidentBytes);
        w.WriteString("builtFor", r.BuiltFor);
        w.WriteStartArray("instructionsUsed");
        foreach (var i in r.InstructionsUsed) w.WriteStringValue(i);
        w.WriteEndArray();
        w.WriteString("cpu", r.Cpu.Model);
        w.WriteString("board", r.Cpu.Board);
        w.WriteNumber("logicalCores", r.Cpu.LogicalCores);
        w.WriteStartArray("cpuOffers");
        foreach (var f in r.Cpu.SimdFeatures) w.WriteStringValue(f);
        w.WriteEndArray();
        WriteSensors(w, "sensorsBefore", r.SensorsBefore);
        WriteSensors(w, "sensorsAfter", r.SensorsAfter);
        w.WriteStartArray("perLayer");
        foreach (var (step, seconds) in r.PerLayer)
        {
            w.WriteStartObject();
            w.WriteString("step", step);
            w.WriteNumber("meanSeconds", seconds);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void WriteSensors(System.Text.Json.Utf8JsonWriter w, string name, BoardSensors s)
    {
        w.WriteStartObject(name);
        w.WriteNumberOrNull("temperatureCelsius", s.TemperatureCelsius);
        w.WriteString("temperatureSource", s.TemperatureSource);
        w.WriteNumberOrNull("currentFrequencyKHz", s.CurrentFrequencyKHz);
        w.WriteNumberOrNull("maximumFrequencyKHz", s.MaximumFrequencyKHz);
        w.WriteString("throttling", s.Throttling);
        w.WriteEndObject();
    }

    private static string Celsius(BoardSensors s) => s.TemperatureCelsius is double t ? $"{t:0.0} °C ({s.TemperatureSource})" : "absent";

    private static string MHz(long? kHz) => kHz is long k ? $"{k / 1000} MHz" : "absent";
}
