using System.Diagnostics;
using System.Globalization;

namespace EdgeLowRank.Runtime.Cli.Platform;

/// <summary>
/// The CPU time counters of one moment: the machine's from /proc/stat's aggregate "cpu" line (user nice system idle iowait
/// irq softirq steal guest guest_nice, in USER_HZ ticks), this process's from /proc/self/stat (utime + stime, the same ticks,
/// all its threads), its getrusage time (for qemu-user, which zeroes the latter) and the clock.
/// </summary>
/// <param name="TotalTicks">All the ticks of the first eight fields (guest time is counted in user and nice already).</param>
/// <param name="BusyTicks">Total − idle − iowait: ticks some process, the kernel or (steal) another machine used.</param>
/// <param name="StealTicks">The steal field; null on a kernel that lists fewer than eight.</param>
/// <param name="Cores">The per-core "cpuN" lines: the cores the aggregate line adds up.</param>
/// <param name="SelfTicks">utime + stime of /proc/self/stat; null when unreadable or qemu-user's stand-in.</param>
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
        // qemu-user writes its own stand-in with 0 for the state, which a kernel writes as a letter (R, S, D…), and 0 for
        // the times: read as this process's ticks, they are 0 however long it ran. A native process's first reading can be
        // 0 too (under one tick used), so the state, not the times, tells the stand-in.
        if (!char.IsAsciiLetter(words[0][0])) return null;
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
