using EdgeLowRank.Samples.Common;

namespace EdgeLowRank.Samples.ThermalBench;

/// <summary>The bench's settings, from the command line.</summary>
internal sealed record BenchOptions(string ModelPath, double Rate, TimeSpan Duration, string CsvPath, bool SimulateSensors)
{
    /// <summary>The usage text printed by --help.</summary>
    public const string Usage = """
        thermal-bench: runs a model at a fixed rate and logs per-second latency percentiles with CPU
        temperature and throttling, to see whether the board slows down as it heats.

        usage: thermal-bench --model <file.elr> [options]

          --model <file>        the .elr model
          --rate <hz>           inferences per second                        default 100
          --duration <s>        how long to run                              default 60
          --csv <file>          where the per-second report goes             default thermal-bench.csv
          --simulate-sensors    use a simulated heating curve instead of the board's sensors
          -h, --help            this text

        Sensors the machine lacks are reported as "absent"; that is not an error.
        Ctrl+C, SIGTERM and SIGHUP stop the run early; the seconds measured are still written.
        exit codes: 0 ok, 1 bad option, 2 malformed model, 3 missing model or unwritable CSV (checked before
        the run), 128 + signal when stopped early (130 Ctrl+C, 143 SIGTERM, 129 SIGHUP)
        """;

    private static readonly string[] ValueOptions = ["--model", "--rate", "--duration", "--csv"];
    private static readonly string[] Flags = ["--simulate-sensors"];

    /// <summary>Reads the options.</summary>
    /// <exception cref="UsageException">An option is unknown, missing or out of range.</exception>
    public static BenchOptions Parse(string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ValueOptions, Flags);
        return new BenchOptions(line.Required("--model"), line.Number("--rate", 100, 0.1, 100_000),
            TimeSpan.FromSeconds(line.Number("--duration", 60, 0.1, 7 * 24 * 3600)),
            line.Optional("--csv") ?? "thermal-bench.csv", line.Has("--simulate-sensors"));
    }
}
