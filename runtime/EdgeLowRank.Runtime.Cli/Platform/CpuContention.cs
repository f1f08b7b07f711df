using System.Diagnostics;
using System.Globalization;

namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>
/// How many cores other processes kept busy while elr-run measured: latency measured beside a compression, a browser or
/// a second benchmark is inflated, and a bench report or latency table should say so. Made from two
/// <see cref="CpuSnapshot"/>s, one before and one after the measurement, of the kernel's counters in /proc: the whole
/// machine's CPU time from /proc/stat's "cpu" line and this process's own from /proc/self/stat. Both count in the same
/// USER_HZ ticks, so no tick rate is needed: other processes' share of all the CPU time that passed is
/// (busy − self) / total, and times the cores it is the cores they kept busy on average.
/// </summary>
/// <param name="OtherCores">Cores other processes kept busy on average (0 to <paramref name="Cores"/>); steal time is not in it.</param>
/// <param name="Cores">The machine's online cores, as /proc/stat lists them (in a container, the host's, as /proc/stat is).</param>
/// <param name="StealCores">Cores a hypervisor gave to other machines while this one wanted them (a VM's "steal" time); null
/// when the kernel does not count it (before Linux 2.6.11).</param>
/// <param name="SelfFromClock">True when /proc/self/stat was qemu-user's stand-in (or unreadable) and this process's own time
/// came from getrusage instead (qemu's /proc/stat is the host's, so the measure is the host's cores).</param>
internal sealed record CpuContention(double OtherCores, int Cores, double? StealCores, bool SelfFromClock)
{
    /// <summary>
    /// At or above this many cores of other work (steal included) the latencies are likely inflated and a warning says so.
    /// An idle board or PC runs a few hundredths of a core of daemons (0.00–0.02 on the two-core development PC); a quarter of
    /// a core on average is something else running a quarter of the time, far above that noise. On a core the benchmark
    /// uses, that is preemptions that show in the mean, std and max; on another core it still shares the last-level cache
    /// (the L2 of a Pi 3 or 4, the L3 of a Pi 5) and the memory bus, and heats the SoC toward its frequency cap. A shell
    /// loop, a whole core, took the two-core development PC's worst run from 79 µs to 6.3 ms and its std from 0.57 to 6.34 µs
    /// (docs/DEPLOY-PI.md).
    /// </summary>
    public const double WarningCores = 0.25;

    /// <summary>Other processes' and the hypervisor's cores together, against <see cref="WarningCores"/>.</summary>
    public bool LikelyInflates => OtherCores + (StealCores ?? 0) >= WarningCores;

    /// <summary>
    /// The shortest measurement measured: /proc/stat counts in ticks (10 ms at the usual USER_HZ of 100), each worth
    /// cores / ticks-passed of a core, while this process's own time is nearly exact; over 11 ms a reviewer's readings on
    /// an idle two-core PC came out 1.00, 1.50 and 1.00. Over half a second a tick is worth 0.02 core on 2 cores and 0.01
    /// on 4, well under <see cref="WarningCores"/>.
    /// </summary>
    public const double MinimumSeconds = 0.5;

    /// <summary>What a report says when there is no measure: no /proc, or a measurement shorter than <see cref="MinimumSeconds"/>.</summary>
    public static readonly string Absent = $"not measured (no /proc/stat, or under {MinimumSeconds} s measured: too few of the kernel's 10 ms ticks)";

    /// <summary>The measure between two snapshots; null when either is absent (no /proc: not Linux) or less than
    /// <see cref="MinimumSeconds"/> passed between them.</summary>
    public static CpuContention? Between(CpuSnapshot? before, CpuSnapshot? after)
    {
        if (before is not { } a || after is not { } b) return null;
        if ((b.Timestamp - a.Timestamp) / (double)Stopwatch.Frequency < MinimumSeconds) return null;
        long total = b.TotalTicks - a.TotalTicks;
        if (total <= 0 || b.Cores < 1) return null;
        long busy = b.BusyTicks - a.BusyTicks;
        long? steal = a.StealTicks is long s0 && b.StealTicks is long s1 ? s1 - s0 : null;

        // This process's share of all the CPU time that passed, in ticks as /proc/self/stat counts them. qemu-user fakes
        // that file with zeros; then from getrusage's seconds over the wall-clock seconds of all the cores, which needs no
        // tick rate either (the two clocks tick apart, so this share is a little rougher).
        double selfShare;
        bool fromClock = false;
        if (a.SelfTicks is long selfBefore && b.SelfTicks is long selfAfter)
            selfShare = (selfAfter - selfBefore) / (double)total;
        else
        {
            fromClock = true;
            double wall = (b.Timestamp - a.Timestamp) / (double)Stopwatch.Frequency;
            if (wall <= 0) return null;
            selfShare = (b.SelfCpuSeconds - a.SelfCpuSeconds) / (wall * b.Cores);
        }

        // Steal is time a hypervisor ran another machine: it keeps a core from this one but is no process of it, so it is
        // reported apart. The ticks are sampled (each core's is charged to whatever ran at its tick), so a share can come
        // out a little below 0 or above all the cores; clamped.
        double otherShare = (busy - (steal ?? 0)) / (double)total - selfShare;
        double other = Math.Clamp(otherShare, 0, 1) * b.Cores;
        double? stealCores = steal is long st ? Math.Clamp(st / (double)total, 0, 1) * b.Cores : null;
        return new CpuContention(other, b.Cores, stealCores, fromClock);
    }

    /// <summary>"0.03 of 4 cores busy <paramref name="during"/>", then the steal when there was some ("(and the hypervisor
    /// stole 0.40 cores)"); "of the host's 4 cores" under emulation. The phrase of the text report, the profile's line and
    /// the warning.</summary>
    public string Describe(string during)
    {
        // "F2" rounds the double's exact value, as a reader of the JSON's figure does; the custom "0.00" rounds a 15-digit
        // text of it, so 1.29499999… read 1.30 here and 1.29 there (a CI run of 9fd684d).
        string text = $"{OtherCores.ToString("F2", CultureInfo.InvariantCulture)} of {(SelfFromClock ? "the host's " : "")}{Cores} cores busy {during}";
        if (StealCores is double steal && steal >= 0.005)
            text += $" (and the hypervisor stole {steal.ToString("F2", CultureInfo.InvariantCulture)} cores)";
        return text;
    }

    /// <summary>The stderr warning (after "elr-run: ") when <see cref="LikelyInflates"/>, else null; <paramref name="during"/>
    /// names the measurement.</summary>
    public string? Warning(string during) => LikelyInflates
        ? $"warning: other processes kept {Describe(during)}, so the latencies are likely inflated; measure on an idle board (stop other work, `top` shows it)."
        : null;
}
