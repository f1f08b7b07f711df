using System.Text;
using EdgeLowRank.Runtime.Cli.Commands;
using EdgeLowRank.Runtime.Cli.Platform;

namespace EdgeLowRank.Runtime.Cli.Reporting;

/// <summary>Turns a <see cref="BenchReport"/> into the readable table or the JSON document.</summary>
internal static class BenchReportWriter
{
    /// <summary>The report as the table people read; a benchmark Ctrl+C cut short says so under its settings.</summary>
    public static string Render(BenchReport r)
    {
        double?[] p = Percentiles(r.Latency);
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine($"model            {r.ModelPath} ({Units.Bytes(r.ModelBytes)}, {Units.Count(r.Parameters)} parameters, {Units.Count(r.MultiplyAccumulates)} MACs/sample)");
        text.AppendLine($"settings         batch {s.Batch}, threads {s.Threads}, run threads {s.RunThreads}, kernel {s.Kernel.ToString().ToLowerInvariant()}, " +
                        (s.Duration is double duration ? $"duration {Units.Fixed(duration, "0.##")} s" : $"runs {Units.Count(s.Runs)}/thread{s.AtLeast}"));
        text.AppendLine($"provenance       elr-run {r.ElrRunVersion}, started {Iso8601(r.StartedUtc)}, model sha256 {r.ModelSha256}");
        if (r.InterruptedDuring is BenchPhase phase) text.AppendLine($"interrupted      {PartialReport.Interruption(r, phase, r.InterruptedBy!)}");
        text.AppendLine($"load             {Units.Duration(r.LoadSeconds)}");
        text.AppendLine($"first inference  {Units.Duration(r.FirstInferenceSeconds)}");
        text.AppendLine($"warm-up          {Units.Count(r.WarmupRuns)} runs in {Units.Duration(r.WarmupSeconds)}");
        text.AppendLine();
        var table = new TextTable(["latency (µs)", "count", "min", "mean", "std", .. Percentile.Reported.Select(q => q.Name), "max"]);
        // One word per cell, "—" for a statistic not given: scripts pick the columns by position (awk '{print $12}').
        bool measured = r.Latency.Count > 0;
        table.Add([$"per inference (batch {s.Batch})", Units.Count(r.Latency.Count), Cell(measured ? r.Latency.Min : null), Cell(measured ? r.Latency.Mean : null),
            Cell(measured ? r.Latency.StandardDeviation : null), .. p.Select(Cell), Cell(measured ? r.Latency.Max : null)]);
        text.Append(table);
        if (PartialReport.MissingStatistics(r.Latency.Count) is string missing) text.AppendLine(missing);
        text.AppendLine();
        text.AppendLine(measured ? $"throughput       {Units.Count((long)Math.Round(r.InferencesPerSecond))} samples/s over {Units.Duration(r.MeasuredSeconds)}"
            : "throughput       — (no run measured)");
        text.AppendLine($"arena            {Units.Bytes(r.ArenaBytes)} per concurrent run (planned at load)");
        text.AppendLine($"packed weights   {Units.Bytes(r.PackedWeightBytes)} (row-major weights of the file packed into panels at load)");
        text.AppendLine(measured ? $"managed alloc    {Units.Fixed(r.ManagedBytesPerInference, "0.##")} bytes per inference" : "managed alloc    — (no run measured)");
        text.AppendLine($"peak RSS         {(r.PeakResidentBytes is long rss ? Units.Bytes(rss) : "absent")} (VmHWM{EmulatorsMemory(r.Cpu)})");
        text.AppendLine($"binary           {r.BuiltFor}; uses {string.Join(", ", r.InstructionsUsed)}");
        text.AppendLine($"cpu              {r.Cpu.Model}, {r.Cpu.LogicalCores} logical cores; offers {(r.Cpu.SimdFeatures.Count > 0 ? string.Join(", ", r.Cpu.SimdFeatures) : "(no SIMD flags listed)")}");
        if (InstructionSets.WiderBuild(r.Cpu.SimdFeatures) is string wider) text.AppendLine($"wider build      {wider}");
        if (r.Cpu.Board is not null) text.AppendLine($"board            {r.Cpu.Board}");
        text.AppendLine($"temperature      {Celsius(r.SensorsBefore)} before, {Celsius(r.SensorsAfter)} after");
        text.AppendLine($"frequency        {MHz(r.SensorsAfter.CurrentFrequencyKHz)} now, {MHz(r.SensorsAfter.MaximumFrequencyKHz)} max");
        text.AppendLine($"throttling       {r.SensorsAfter.Throttling ?? "absent (no Raspberry Pi firmware node)"}");
        text.AppendLine($"other processes  {(r.OtherProcesses is { } c ? c.Describe("during the timed runs") : $"not measured: {r.OtherProcessesNotMeasured}")}");
        if (r.PerLayer.Count > 0)
        {
            text.AppendLine();
            // "#" and "name" as `elr-run info` and `elr inspect` give them, so a layer compressed by name is found here.
            var layers = new TextTable("#", "name", "step", "mean µs", "share") { LeftAligned = 3 };
            double total = r.PerLayer.Sum(l => l.Seconds);
            foreach (var (step, seconds) in r.PerLayer)
                layers.Add(step.FirstLayer.ToString(), step.LayerName, step.Name, Units.Microseconds(seconds), $"{seconds / Math.Max(total, double.Epsilon) * 100:0.0}%");
            text.Append(layers);
        }
        return text.ToString();
    }

    /// <summary>The report as one JSON document: "elrRunVersion" (release+commit, as --version prints it), "startedUtc" (ISO 8601)
    /// and "modelSha256" say which build measured which file when; a statistic not given (no run measured, too few runs for a percentile) is
    /// null, and "interrupted" says what Ctrl+C or SIGTERM cut short (null when the benchmark ran to its end). Each "perLayer" entry holds
    /// the step's first layer ("index", as `info --json` numbers layers), its layers' names ("name": "fc1", "conv2+relu", as `info --json` names layers), its
    /// kind and shapes ("step") and "meanSeconds"; "perLayer" is null without --per-layer. "otherProcessesCores" is the cores other processes kept busy on average during
    /// the timed runs and "stealCores" those a hypervisor took (null without /proc, and steal also on a kernel that lacks it);
    /// "otherProcessesNotMeasured" says why the former is null (null when it is not).</summary>
    public static void WriteJson(BenchReport r) => JsonOutput.Write(w =>
    {
        double?[] p = Percentiles(r.Latency);
        bool measured = r.Latency.Count > 0;
        w.WriteString("elrRunVersion", r.ElrRunVersion);
        w.WriteString("startedUtc", Iso8601(r.StartedUtc));
        w.WriteString("model", r.ModelPath);
        w.WriteString("modelSha256", r.ModelSha256);
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
        w.WriteNumberOrNull("min", measured ? r.Latency.Min : null);
        w.WriteNumberOrNull("max", measured ? r.Latency.Max : null);
        w.WriteNumberOrNull("mean", measured ? r.Latency.Mean : null);
        w.WriteNumberOrNull("std", measured ? r.Latency.StandardDeviation : null);
        for (int i = 0; i < p.Length; i++) w.WriteNumberOrNull(Percentile.Reported[i].Name, p[i]);
        w.WriteEndObject();
        w.WriteNumber("measuredSeconds", r.MeasuredSeconds);
        w.WriteNumberOrNull("samplesPerSecond", measured ? r.InferencesPerSecond : null);
        w.WriteNumber("arenaBytes", r.ArenaBytes);
        w.WriteNumber("packedWeightBytes", r.PackedWeightBytes);
        w.WriteNumberOrNull("managedBytesPerInference", measured ? r.ManagedBytesPerInference : null);
        w.WriteNumberOrNull("peakResidentBytes", r.PeakResidentBytes);
        w.WriteString("builtFor", r.BuiltFor);
        w.WriteStartArray("instructionsUsed");
        foreach (var i in r.InstructionsUsed) w.WriteStringValue(i);
        w.WriteEndArray();
        w.WriteString("cpu", r.Cpu.Model);
        w.WriteBoolean("emulated", r.Cpu.Emulated);
        w.WriteString("board", r.Cpu.Board);
        w.WriteNumber("logicalCores", r.Cpu.LogicalCores);
        w.WriteStartArray("cpuOffers");
        foreach (var f in r.Cpu.SimdFeatures) w.WriteStringValue(f);
        w.WriteEndArray();
        WriteSensors(w, "sensorsBefore", r.SensorsBefore);
        WriteSensors(w, "sensorsAfter", r.SensorsAfter);
        w.WriteNumberOrNull("otherProcessesCores", r.OtherProcesses?.OtherCores);
        w.WriteNumberOrNull("stealCores", r.OtherProcesses?.StealCores);
        w.WriteString("otherProcessesNotMeasured", r.OtherProcessesNotMeasured);
        WritePerLayer(w, r);
        WriteInterruption(w, r);
    });

    /// <summary>"perLayer": null without --per-layer, as the JSON gives what was not asked; with it the steps timed, none
    /// when Ctrl+C came before the per-layer timing ("interrupted" says so).</summary>
    private static void WritePerLayer(System.Text.Json.Utf8JsonWriter w, BenchReport r)
    {
        if (!r.Settings.PerLayer)
        {
            w.WriteNull("perLayer");
            return;
        }
        w.WriteStartArray("perLayer");
        foreach (var (step, seconds) in r.PerLayer)
        {
            w.WriteStartObject();
            w.WriteNumber("index", step.FirstLayer);
            w.WriteString("name", step.LayerName);
            w.WriteString("step", step.Name);
            w.WriteNumber("meanSeconds", seconds);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The reported percentiles of <paramref name="latency"/>, null where its runs are too few for one.</summary>
    private static double?[] Percentiles(LatencyRecorder latency)
    {
        double[] values = latency.Percentiles(Percentile.Reported.Select(q => q.Quantile).ToArray());
        return Percentile.Reported.Select((q, i) => PartialReport.Gives(latency.Count, q) ? values[i] : (double?)null).ToArray();
    }

    /// <summary>"2026-12-07T15:44:00Z": ISO 8601 in UTC, to the second.</summary>
    private static string Iso8601(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Cell(double? seconds) => seconds is double s ? Units.Microseconds(s) : "—";

    /// <summary>"interrupted": null, or the part a signal cut short ("warm-up", "measurement", "per-layer"), the signal ("SIGINT"
    /// for Ctrl+C, "SIGTERM"), the runs measured and those asked for (plannedRuns in all threads, plannedSeconds under --duration, both under --min-seconds); perLayerRuns for the per-layer timing.</summary>
    private static void WriteInterruption(System.Text.Json.Utf8JsonWriter w, BenchReport r)
    {
        if (r.InterruptedDuring is not BenchPhase phase)
        {
            w.WriteNull("interrupted");
            return;
        }
        w.WriteStartObject("interrupted");
        w.WriteString("during", phase switch { BenchPhase.WarmUp => "warm-up", BenchPhase.Measurement => "measurement", _ => "per-layer" });
        w.WriteString("signal", r.InterruptedBy!.PosixName);
        w.WriteNumber("runs", r.Latency.Count);
        w.WriteNumberOrNull("plannedRuns", PartialReport.PlannedRuns(r.Settings));
        w.WriteNumberOrNull("plannedSeconds", PartialReport.PlannedSeconds(r.Settings));
        if (phase == BenchPhase.PerLayer) w.WriteNumber("perLayerRuns", r.PerLayerRuns);
        w.WriteEndObject();
    }

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

    /// <summary>What the peak RSS holds under emulation: qemu-user's translator, code cache and own heap besides the program
    /// (a user trial sized a 1 GB Pi by 313 MiB that the program itself does not take).</summary>
    private static string EmulatorsMemory(CpuDescription cpu) => cpu.Emulated
        ? ", of the emulator with the program in it: qemu-user's code cache and heap count in it (the arena and packed weights above are the program's own); measure on the board"
        : "";

    private static string Celsius(BoardSensors s) => s.TemperatureCelsius is double t ? $"{t:0.0} °C ({s.TemperatureSource})" : "absent";

    private static string MHz(long? kHz) => kHz is long k ? $"{k / 1000} MHz" : "absent";
}
