using System.Diagnostics;
using EdgeLowRank.Runtime.Cli.Platform;

namespace EdgeLowRank.Runtime.Tests.Cli;

/// <summary>The cores other processes kept busy while elr-run measured: /proc/stat's and /proc/self/stat's texts as kernels
/// write them (a PC's, a Raspberry Pi's, older kernels' shorter lines, qemu-user's zeros), and the share computed from two
/// snapshots.</summary>
public sealed class CpuContentionTests
{
    /// <summary>A 2-core x86 VM on Linux 6.x: ten fields, steal counted.</summary>
    private const string PcStat = """
        cpu  4818922 2207721 1072703 2071331 28500 0 2423 13439 0 0
        cpu0 2360218 1087005 525263 1085645 9098 0 364 6880 0 0
        cpu1 2457603 1114543 546829 928751 19271 0 2052 6556 0 0
        intr 384762718 0 9 0 0 0 0 0 0 0 0
        ctxt 712345678
        btime 1765000000
        processes 27751
        procs_running 3
        procs_blocked 0
        softirq 123456 0 1 2 3 4 5 6 7 8 9
        """;

    /// <summary>A Raspberry Pi 4 (Raspberry Pi OS, Linux 6.6, 4 × Cortex-A72): no hypervisor, so steal and guest are 0.</summary>
    private const string Pi4Stat = """
        cpu  30422 0 13214 4870915 1867 0 417 0 0 0
        cpu0 7698 0 3570 1216185 489 0 340 0 0 0
        cpu1 7631 0 3178 1218396 423 0 24 0 0 0
        cpu2 7492 0 3329 1218221 467 0 27 0 0 0
        cpu3 7599 0 3135 1218111 486 0 24 0 0 0
        intr 3797618 0 0 1234
        ctxt 6497032
        btime 1733500000
        processes 5162
        procs_running 1
        procs_blocked 0
        softirq 1871225 0 401234 12 56789 0 0 345 567890 0 9876
        """;

    [Fact]
    public void A_PCs_stat_gives_the_first_eight_fields_as_total_without_idle_and_iowait_as_busy_and_its_core_lines()
    {
        var (total, busy, steal, cores) = CpuSnapshot.ParseStat(PcStat.Replace("\r", ""))!.Value;

        // guest and guest_nice are in user and nice already: not added again.
        long expectedTotal = 4818922L + 2207721 + 1072703 + 2071331 + 28500 + 0 + 2423 + 13439;
        Assert.Equal((expectedTotal, expectedTotal - 2071331 - 28500, 13439L, 2), (total, busy, steal, cores));
    }

    [Fact]
    public void A_Raspberry_Pi_4s_stat_counts_its_four_cores_and_no_steal()
    {
        var (total, busy, steal, cores) = CpuSnapshot.ParseStat(Pi4Stat.Replace("\r", ""))!.Value;

        Assert.Equal((4916835L, 44053L, 0L, 4), (total, busy, steal, cores));
    }

    [Theory]
    [InlineData("cpu  100 5 50 800\ncpu0 100 5 50 800\n", 955, 155)]                 // Linux 2.4: user nice system idle
    [InlineData("cpu  100 5 50 800 40 3 2\ncpu0 100 5 50 800 40 3 2\n", 1000, 160)]  // 2.6 before steal: + iowait irq softirq
    public void An_older_kernels_shorter_line_is_read_with_no_steal(string stat, long total, long busy)
    {
        Assert.Equal((total, busy, (long?)null, 1), CpuSnapshot.ParseStat(stat));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cpu0 1 2 3 4 5 6 7 8\nintr 5\n")]   // no aggregate line
    [InlineData("cpu  1 2 3\n")]                       // too few fields to find idle
    [InlineData("cpu  12 x 3 4 5\n")]                  // cut at the word that is no number: two fields left
    [InlineData("cpu -1 2 3 4\n")]                     // negative counters are no counters
    public void A_stat_without_a_readable_aggregate_line_gives_nothing(string? stat)
    {
        Assert.Null(CpuSnapshot.ParseStat(stat));
    }

    [Fact]
    public void The_processs_own_ticks_are_utime_plus_stime_counted_after_the_last_parenthesis()
    {
        const string plain = "27773 (elr-run) R 27771 27771 26238 0 -1 4194304 93 0 0 0 288 12 0 0 20 0 1 0 5136223 2654208 379";
        // A command name may hold spaces and parentheses: fields counted from its first ')' would be off by two.
        const string odd = "27773 (a) b (c) S 27771 27771 26238 0 -1 4194304 93 0 0 0 7 5 0 0 20 0 1 0 5136223 2654208 379";

        Assert.Equal(300, CpuSnapshot.ParseSelfTicks(plain));
        Assert.Equal(12, CpuSnapshot.ParseSelfTicks(odd));
    }

    [Fact]
    public void Qemu_users_stand_in_a_cut_or_an_absent_stat_reads_nothing_and_a_native_zero_reads_zero()
    {
        // qemu-user writes its own /proc/self/stat: pid, name, ppid, threads, start time and stack, the rest 0.
        const string qemu = "26972 (st) 0 26971 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5110248 0 0 0 0 0 365080610592 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";

        // Its state is 0 where a kernel writes a letter: no reading, so its own time comes from getrusage.
        Assert.Null(CpuSnapshot.ParseSelfTicks(qemu));
        // A native process that has used under a tick reads 0 and is no emulated one (a reviewer: it was labelled so).
        Assert.Equal(0, CpuSnapshot.ParseSelfTicks("27773 (elr-run) R 27771 27771 26238 0 -1 4194304 93 0 0 0 0 0 0 0 20 0 1 0 5136223 2654208 379"));
        Assert.Null(CpuSnapshot.ParseSelfTicks("27773 (elr-run) R 27771 27771 26238 0 -1"));
        Assert.Null(CpuSnapshot.ParseSelfTicks("no parenthesis 1 2 3"));
        Assert.Null(CpuSnapshot.ParseSelfTicks(null));
    }

    [Fact]
    public void The_figure_is_rounded_as_a_reader_of_the_json_rounds_it()
    {
        // 1.2949999999999999 is 1.29 to two places; the custom format "0.00" said 1.30 (it rounds a 15-digit text of the
        // value), and a CI run failed the warning-against-JSON check on it.
        var contention = new CpuContention(1.2949999999999999, 2, 0.0049999999999999, false);
        Assert.Equal("1.29 of 2 cores busy meanwhile", contention.Describe("meanwhile"));
    }

    [Fact]
    public void Other_processes_cores_are_the_busy_ticks_less_this_processs_and_the_steal_over_all_ticks_times_the_cores()
    {
        // 4 cores for one second at 100 ticks a second: 400 ticks, 250 of them busy; this process used 100 (one core), the
        // hypervisor stole 40, so other processes used 110: 1.1 cores.
        var before = new CpuSnapshot(10_000, 3_000, 500, 4, 1_000, 10.0, 0);
        var after = new CpuSnapshot(10_400, 3_250, 540, 4, 1_100, 11.0, Stopwatch.Frequency);

        CpuContention contention = CpuContention.Between(before, after)!;

        Assert.Equal(1.1, contention.OtherCores, 9);
        Assert.Equal(0.4, contention.StealCores!.Value, 9);
        Assert.Equal((4, false), (contention.Cores, contention.SelfFromClock));
        Assert.Equal("1.10 of 4 cores busy meanwhile (and the hypervisor stole 0.40 cores)", contention.Describe("meanwhile"));
    }

    [Fact]
    public void Under_qemu_user_the_processs_own_time_comes_from_getrusage_over_the_wall_clock()
    {
        // /proc/self/stat is qemu-user's stand-in (no reading); the process used 1.5 s of CPU in 1 s on 2 cores: 0.75 of all the time. The
        // machine was busy 190 of 200 ticks: 0.95, so others kept 0.2 of its time, 0.4 cores.
        var before = new CpuSnapshot(1_000, 500, null, 2, null, 2.0, 0);
        var after = new CpuSnapshot(1_200, 690, null, 2, null, 3.5, Stopwatch.Frequency);

        CpuContention contention = CpuContention.Between(before, after)!;

        Assert.Equal(0.4, contention.OtherCores, 9);
        Assert.Null(contention.StealCores);
        Assert.True(contention.SelfFromClock);
        Assert.Equal("0.40 of the host's 2 cores busy meanwhile", contention.Describe("meanwhile"));
    }

    [Fact]
    public void A_sampling_error_below_zero_is_zero_and_no_passing_tick_or_no_snapshot_gives_nothing()
    {
        // Ticks are sampled: this process can be charged a tick more than the machine's busy count shows.
        var before = new CpuSnapshot(1_000, 500, 0, 2, 100, 1, 0);
        var after = new CpuSnapshot(1_200, 600, 0, 2, 201, 2, Stopwatch.Frequency);

        Assert.Equal(0, CpuContention.Between(before, after)!.OtherCores);
        Assert.Null(CpuContention.Between(before, before));
        // Under half a second the 10 ms ticks are too coarse (11 ms gave 1.00, 1.50, 1.00 cores on an idle PC): nothing.
        Assert.Null(CpuContention.Between(before, after with { Timestamp = Stopwatch.Frequency * 49 / 100 }));
        Assert.NotNull(CpuContention.Between(before, after with { Timestamp = Stopwatch.Frequency / 2 }));
        Assert.Null(CpuContention.Between(null, after));
        Assert.Null(CpuContention.Between(before, null));
    }

    [Theory]
    [InlineData(0.24, 0.0, false)]
    [InlineData(0.25, 0.0, true)]
    [InlineData(0.15, 0.10, true)]   // a hypervisor's steal takes the CPU from the benchmark as well
    public void The_warning_comes_at_a_quarter_core_of_other_work(double other, double steal, bool warned)
    {
        var contention = new CpuContention(other, 4, steal, false);

        Assert.Equal(warned, contention.Warning("during the timed runs") is not null);
        Assert.Equal(warned, contention.LikelyInflates);
    }

    [Fact]
    public void This_machine_gives_a_snapshot_on_Linux_and_none_elsewhere()
    {
        CpuSnapshot? snapshot = CpuSnapshot.Take();

        Assert.Equal(OperatingSystem.IsLinux(), snapshot is not null);
        if (snapshot is { } s) Assert.True(s.Cores >= 1 && s.BusyTicks <= s.TotalTicks && s.SelfTicks > 0, s.ToString());
    }
}
