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
/// <param name="SelfFromClock">True when /proc/self/stat gave no CPU time and this process's own came from getrusage instead:
/// qemu-user writes zeros there (its /proc/stat is the host's, so the measure is the host's cores).</param>
internal sealed record CpuContention(double OtherCores, int Cores, double? StealCores, bool SelfFromClock)
{
    /// <summary>
    /// At or above this many cores of other work (steal included) the latencies are likely inflated and a warning says so.
    /// An idle board or PC runs a few hundredths of a core of daemons (0.02 on the two-core development PC); a quarter of
    /// a core on average is something else running a quarter of the time, far above that noise. On a core the benchmark
    /// uses, that is preemptions that show in the mean, std and max; on another core it still shares the last-level cache
    /// (the L2 of a Pi 3 or 4, the L3 of a Pi 5) and the memory bus, and heats the SoC toward its frequency cap. A shell
    /// loop, a whole core, took the development PC's mean from 2.42 to 2.96 µs and its std from 3.4 to 52 µs.
    /// </summary>
    public const double WarningCores = 0.25;

    /// <summary>Other processes' and the hypervisor's cores together, against <see cref="WarningCores"/>.</summary>
    public bool LikelyInflates => OtherCores + (StealCores ?? 0) >= WarningCores;

    /// <summary>The measure between two snapshots; null when either is absent (no /proc: not Linux) or too little time
    /// passed for the kernel's ticks to count any.</summary>
    public static CpuContention? Between(CpuSnapshot? before, CpuSnapshot? after)
    {
        if (before is not { } a || after is not { } b) return null;
        long total = b.TotalTicks - a.TotalTicks;
        if (total <= 0 || b.Cores < 1) return null;
        long busy = b.BusyTicks - a.BusyTicks;
        long? steal = a.StealTicks is long s0 && b.StealTicks is long s1 ? s1 - s0 : null;

        // This process's share of all the CPU time that passed, in ticks as /proc/self/stat counts them. qemu-user fakes
        // that file with zeros; then from getrusage's seconds over the wall-clock seconds of all the cores, which needs no
        // tick rate either (the two clocks tick apart, so this share is a little rougher).
        double selfShare;
        bool fromClock = false;
        if (a.SelfTicks is long selfBefore && b.SelfTicks is long selfAfter && selfAfter > 0)
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

    /// <summary>"0.03 of 4 cores", with the steal when there was some; "of the host's 4 cores" under emulation. The phrase of
    /// the text report and the warning.</summary>
    public string Describe()
    {
        string text = $"{OtherCores.ToString("0.00", CultureInfo.InvariantCulture)} of {(SelfFromClock ? "the host's " : "")}{Cores} cores";
        if (StealCores is double steal && steal >= 0.005)
            text += $", and {steal.ToString("0.00", CultureInfo.InvariantCulture)} cores stolen by the hypervisor";
        return text;
    }

    /// <summary>The stderr warning (after "elr-run: ") when <see cref="LikelyInflates"/>, else null; <paramref name="during"/>
    /// names the measurement.</summary>
    public string? Warning(string during) => LikelyInflates
        ? $"warning: other processes kept {Describe()} busy {during}, so the latencies are likely inflated; measure on an idle board (stop other work, `top` shows it)."
        : null;
}

/// <summary>
/// The CPU time counters of one moment: the machine's from /proc/stat's aggregate "cpu" line (user nice system idle iowait
/// irq softirq steal guest guest_nice, in USER_HZ ticks), this process's from /proc/self/stat (utime + stime, the same ticks,
/// all its threads), its getrusage time (for qemu-user, which zeroes the latter) and the clock.
/// </summary>
/// <param name="TotalTicks">All the ticks of the first eight fields (guest time is counted in user and nice already).</param>
/// <param name="BusyTicks">Total − idle − iowait: ticks some process, the kernel or (steal) another machine used.</param>
/// <param name="StealTicks">The steal field; null on a kernel that lists fewer than eight.</param>
/// <param name="Cores">The per-core "cpuN" lines: the cores the aggregate line adds up.</param>
/// <param name="SelfTicks">utime + stime of /proc/self/stat; null when unreadable.</param>
/// <param name="SelfCpuSeconds">This process's CPU seconds from getrusage (Environment.CpuUsage), for when SelfTicks reads 0.</param>
/// <param name="Timestamp">The <see cref="Stopwatch"/> timestamp of the snapshot, for the same.</param>
internal readonly record struct CpuSnapshot(long TotalTicks, long BusyTicks, long? StealTicks, int Cores, long? SelfTicks,
    double SelfCpuSeconds, long Timestamp)
{
    /// <summary>This moment's counters; null when /proc/stat is unreadable (not Linux), so nothing is reported.</summary>
    public static CpuSnapshot? Take()
    {
        string? stat = SysfsFile.ReadText("/proc/stat");
        long? self = ParseSelfTicks(SysfsFile.ReadText("/proc/self/stat"));
        double selfSeconds = Environment.CpuUsage.TotalTime.TotalSeconds;
        long now = Stopwatch.GetTimestamp();
        return ParseStat(stat) is var (total, busy, steal, cores) ? new CpuSnapshot(total, busy, steal, cores, self, selfSeconds, now) : null;
    }

    /// <summary>The aggregate "cpu" line's total, busy and steal ticks and the number of "cpuN" lines; null when the text
    /// has no aggregate line with at least user, nice, system and idle (Linux 2.4 gave those four; iowait, irq and softirq
    /// came in 2.6, steal in 2.6.11, guest in 2.6.24, guest_nice in 2.6.33).</summary>
    internal static (long Total, long Busy, long? Steal, int Cores)? ParseStat(string? text)
    {
        if (text is null) return null;
        long[]? fields = null;
        int cores = 0;
        foreach (string line in text.Split('\n'))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !words[0].StartsWith("cpu", StringComparison.Ordinal)) continue;
            if (words[0] == "cpu")
            {
                fields ??= Numbers(words);
            }
            else if (int.TryParse(words[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                cores++;
            }
        }
        if (fields is null || fields.Length < 4) return null;

        long total = 0;
        // guest (8) and guest_nice (9) are in user (0) and nice (1) already: adding them would count that time twice.
        for (int i = 0; i < Math.Min(fields.Length, 8); i++) total += fields[i];
        long idle = fields[3] + (fields.Length > 4 ? fields[4] : 0); // idle + iowait: waiting on a disk keeps no core busy
        long? steal = fields.Length > 7 ? fields[7] : null;
        // A kernel without per-core lines would be strange; one core then, rather than no measure.
        return (total, total - idle, steal, Math.Max(cores, 1));
    }

    /// <summary>utime + stime of a /proc/PID/stat text; null when unreadable. Its second field, the command name in
    /// parentheses, may itself hold spaces and parentheses, so the fields are counted from the last ')'.</summary>
    internal static long? ParseSelfTicks(string? text)
    {
        if (text is null) return null;
        int close = text.LastIndexOf(')');
        if (close < 0) return null;
        string[] words = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the name: state (field 3) is words[0], so utime (field 14) is words[11] and stime (field 15) words[12].
        if (words.Length < 13) return null;
        return long.TryParse(words[11], NumberStyles.None, CultureInfo.InvariantCulture, out long user)
            && long.TryParse(words[12], NumberStyles.None, CultureInfo.InvariantCulture, out long system)
            ? user + system : null;
    }

    /// <summary>The line's numbers after its name, up to the first word that is not one (a corrupt or future line is cut
    /// there rather than refused).</summary>
    private static long[] Numbers(string[] words)
    {
        var numbers = new List<long>(words.Length - 1);
        for (int i = 1; i < words.Length; i++)
        {
            if (!long.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out long n)) break;
            numbers.Add(n);
        }
        return numbers.ToArray();
    }
}
