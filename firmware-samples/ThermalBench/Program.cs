// ThermalBench: fixed-rate inference with per-second latency percentiles, CPU temperature and throttling, to CSV.
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Samples.Common;
using EdgeLowRank.Samples.ThermalBench;
using EdgeLowRank.Samples.ThermalBench.Output;
using EdgeLowRank.Samples.ThermalBench.Scheduling;
using EdgeLowRank.Samples.ThermalBench.Sensors;
using EdgeLowRank.Samples.ThermalBench.Statistics;

return SampleMain.Run("thermal-bench", BenchOptions.Usage, args, () =>
{
    BenchOptions options = BenchOptions.Parse(args);
    // Checked before the run: a report that cannot be written would be lost at its end.
    FilePaths.RequireInput(options.ModelPath, "--model");
    FilePaths.RequireOutput(options.CsvPath, "--csv");
    FilePaths.RequireDistinctOutputs([("--model", options.ModelPath)], [("--csv", options.CsvPath)]);

    using InferenceSession session = InferenceSession.Load(options.ModelPath, new SessionOptions { MaxBatchSize = 1 });
    // A fixed pseudo-random input: the kernels' work does not depend on the values, and runs stay comparable.
    var random = new Random(42);
    float[] input = [.. Enumerable.Range(0, session.InputLength).Select(_ => random.NextSingle())];
    float[] output = new float[session.OutputLength];

    var clock = new StopwatchClock();
    using IThermalSensors sensors = options.SimulateSensors ? new SimulatedThermalSensors(clock) : BoardThermalSensors.OnThisMachine();
    ThermalReading before = sensors.Read();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"model {Path.GetFileName(options.ModelPath)}: {options.Rate} Hz for {options.Duration.TotalSeconds} s; sensors: {(options.SimulateSensors ? "simulated" : "board")}, " +
        $"CpuTemperature {(before.BindingsCelsius is null ? "absent" : "present")}, sysfs {(before.SysfsCelsius is null ? "absent" : $"present ({before.SysfsZone})")}"));

    session.Run(input, output); // untimed: the first run pays for page faults and caches, and would be second 1's p99
    var running = System.Diagnostics.Stopwatch.StartNew();
    List<SecondSummary> rows;
    PosixSignal? stoppedBy;
    // Ctrl+C, kill (SIGTERM) and a dropped ssh session (SIGHUP) stop the run early, and the seconds measured are still written.
    using (var stops = new StopSignals(signal =>
    {
        // After a hang-up the terminal is gone and every write to it fails; the log goes nowhere so the CSV is still written.
        if (signal != PosixSignal.SIGHUP) return;
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
    }))
    {
        rows = new BenchLoop(clock, sensors, () => session.Run(input, output), new CurrentConsoleOut()).Run(options.Rate, options.Duration, stops.Token);
        stoppedBy = stops.StoppedBy;
    }

    CsvReport.Write(options.CsvPath, rows);
    Console.WriteLine($"wrote {rows.Count} row(s) to {options.CsvPath}");
    if (stoppedBy is PosixSignal signal)
    {
        Console.Error.WriteLine($"thermal-bench: stopped early by {signal} after {running.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s of {options.Duration.TotalSeconds} s; the report holds the seconds measured.");
        return ExitCodes.StoppedBy(signal);
    }
    return ExitCodes.Ok;
});
