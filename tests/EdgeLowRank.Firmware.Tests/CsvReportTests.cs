using EdgeLowRank.Samples.ThermalBench.Output;
using EdgeLowRank.Samples.ThermalBench.Sensors;
using EdgeLowRank.Samples.ThermalBench.Statistics;

namespace EdgeLowRank.Firmware.Tests;

public class CsvReportTests
{
    private static readonly SecondSummary Measured = new(1, 1.0, 100, 2, 210.26, 230, 400, 512,
        new ThermalReading(51.2, 51.0, "cpu-thermal", "throttled, soft temperature limit (0xc)", 1_500_000));

    private static readonly SecondSummary Stalled = new(2, 2.0, 0, 100, null, null, null, null, ThermalReading.Absent);

    [Fact]
    public void Rows_follow_the_header_with_quoting_and_absent_cells()
    {
        string[] lines = CsvReport.Format([Measured, Stalled]).Split('\n');
        Assert.Equal("second,elapsed_s,inferences,missed,p50_us,p90_us,p99_us,max_us,temp_bindings_c,temp_sysfs_c,temp_agree,sysfs_zone,throttling,cpu_freq_mhz", lines[0]);
        Assert.Equal("1,1.000,100,2,210.3,230.0,400.0,512.0,51.2,51.0,yes,cpu-thermal,\"throttled, soft temperature limit (0xc)\",1500", lines[1]);
        Assert.Equal("2,2.000,0,100,absent,absent,absent,absent,absent,absent,n/a,absent,absent,absent", lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void Quotes_inside_a_cell_are_doubled() => Assert.Equal("\"say \"\"hi\"\"\"", CsvReport.Quote("say \"hi\""));

    [Fact]
    public void Writing_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("bench.csv");
        File.WriteAllText(path, "old content that is longer than the new one, to catch a missing truncate\n".PadRight(2000, 'x'));
        CsvReport.Write(path, [Measured]);
        Assert.Equal(CsvReport.Format([Measured]), File.ReadAllText(path));
        Assert.Equal(["bench.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary_file()
    {
        using var folder = new TemporaryFolder();
        string target = folder.File("taken");
        Directory.CreateDirectory(target); // a directory where the CSV should go: the rename must fail
        Assert.ThrowsAny<IOException>(() => CsvReport.Write(target, [Measured]));
        Assert.Equal([target], Directory.GetFileSystemEntries(folder.Path));
    }
}
