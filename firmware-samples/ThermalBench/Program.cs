// ThermalBench: fixed-rate inference with per-second latency percentiles, CPU temperature and throttling, to CSV.
using System.Globalization;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Samples.Common;
using EdgeLowRank.Samples.ThermalBench;
using EdgeLowRank.Samples.ThermalBench.Output;
using EdgeLowRank.Samples.ThermalBench.Scheduling;
using EdgeLowRank.Samples.ThermalBench.Sensors;

return SampleMain.Run("thermal-bench", BenchOptions.Usage, args, () =>
{
    BenchOptions options = BenchOptions.Parse(args);
    string? csvFolder = Path.GetDirectoryName(Path.GetFullPath(options.CsvPath));
    if (!Directory.Exists(csvFolder))
        return SampleMain.Fail("thermal-bench", ExitCodes.IoError, $"the folder of --csv {options.CsvPath} does not exist.");

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

    using var cancellation = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); }; // stop early but still write the CSV
    var rows = new BenchLoop(clock, sensors, () => session.Run(input, output), Console.Out).Run(options.Rate, options.Duration, cancellation.Token);

    CsvReport.Write(options.CsvPath, rows);
    Console.WriteLine($"wrote {rows.Count} row(s) to {options.CsvPath}");
    return ExitCodes.Ok;
});
