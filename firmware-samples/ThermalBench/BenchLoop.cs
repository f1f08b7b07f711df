using System.Globalization;
using EdgeLowRank.Samples.ThermalBench.Scheduling;
using EdgeLowRank.Samples.ThermalBench.Sensors;
using EdgeLowRank.Samples.ThermalBench.Statistics;

namespace EdgeLowRank.Samples.ThermalBench;

/// <summary>
/// Runs inference at a fixed rate for a set time and closes one <see cref="SecondSummary"/> per second of
/// wall time, reading the sensors at each close. A second in which nothing ran (a stall longer than a second)
/// still gets its row, with no percentiles, so stalls are visible in the CSV; the ticks a slow run made the
/// scheduler skip count against the second that run started in, those after the last run included, so the rows of a run
/// not cancelled account for every tick of rate × duration.
/// </summary>
internal sealed class BenchLoop(IClock clock, IThermalSensors sensors, Action infer, TextWriter log)
{
    /// <summary>Runs until <paramref name="duration"/> has passed or <paramref name="cancellation"/> fires;
    /// returns every closed window, the last one possibly shorter than a second.</summary>
    public List<SecondSummary> Run(double ratePerSecond, TimeSpan duration, CancellationToken cancellation)
    {
        var scheduler = new FixedRateScheduler(clock, ratePerSecond);
        var window = new LatencyWindow((int)Math.Ceiling(ratePerSecond));
        var rows = new List<SecondSummary>();
        long start = scheduler.FirstDue;
        long end = start + (long)(duration.TotalSeconds * clock.Frequency);
        long windowEnd = start + clock.Frequency;
        while (!cancellation.IsCancellationRequested && scheduler.NextTickBefore(end))
        {
            window.AddMissed(scheduler.WaitForNextTick(cancellation));
            long begun = clock.Now;
            if (cancellation.IsCancellationRequested) break;
            if (begun >= end)
            {
                // Due before the end but begun after it: not run, so missed.
                window.AddMissed(1);
                break;
            }
            // A run belongs to the second it starts in: close every window that ended before it.
            for (; begun >= windowEnd; windowEnd += clock.Frequency)
                rows.Add(Close(window, rows.Count + 1, windowEnd - start));
            infer();
            window.Add(clock.Now - begun);
        }
        // The ticks a slow last run made the schedule skip before the end were never waited for, so never counted: with them
        // a run's rows account for every tick of rate × duration, run or missed.
        if (!cancellation.IsCancellationRequested) window.AddMissed(scheduler.TicksDueBefore(end));
        // A run that ends on schedule covers its whole duration, the idle time after its last tick included.
        long stopped = cancellation.IsCancellationRequested ? Math.Min(clock.Now, end) : end;
        if (window.Count > 0 || window.Missed > 0) rows.Add(Close(window, rows.Count + 1, stopped - start));
        return rows;
    }

    private SecondSummary Close(LatencyWindow window, int second, long elapsedTicks)
    {
        SecondSummary row = window.Summarize(second, (double)elapsedTicks / clock.Frequency, clock.Frequency, sensors.Read());
        log.WriteLine(Describe(row));
        return row;
    }

    /// <summary>The console line for one row, for example
    /// "s 3: 100 runs, 0 missed, p50 210.4 µs, p90 230.1 µs, p99 400.2 µs | 52.1 °C (sysfs 52.1 °C, agree yes), throttling none (0x0)".</summary>
    internal static string Describe(SecondSummary row)
    {
        static string Us(double? v) => v is double x ? x.ToString("F1", CultureInfo.InvariantCulture) + " µs" : "-";
        static string C(double? v) => v is double x ? x.ToString("F1", CultureInfo.InvariantCulture) + " °C" : "absent";
        ThermalReading t = row.Thermal;
        return $"s {row.Second}: {row.Inferences} runs, {row.Missed} missed, p50 {Us(row.P50Microseconds)}, p90 {Us(row.P90Microseconds)}, " +
               $"p99 {Us(row.P99Microseconds)} | {C(t.BindingsCelsius)} (sysfs {C(t.SysfsCelsius)}, agree {t.Agreement}), throttling {t.Throttling ?? "absent"}";
    }
}
