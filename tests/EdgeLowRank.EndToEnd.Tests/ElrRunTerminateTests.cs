using System.Diagnostics;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>
/// SIGTERM, as `timeout`, systemd and Kubernetes stop a program, ends an elr-run command that writes a file as Ctrl+C does:
/// at once, with its own exit code (143) and a line saying so, and no file half-written or left behind (bench's report on
/// SIGTERM: <see cref="ElrRunBenchInterruptTests"/>).
/// </summary>
public class ElrRunTerminateTests : TempFiles
{
    [Fact]
    public async Task SIGTERM_ends_profile_with_exit_code_143_and_no_table_or_temporary_file()
    {
        // The full grid takes minutes here; the signal comes a second of CPU time after the start.
        string table = PathOf("board.json");
        using Process process = Tool.StartElrRun(["profile", "-o", table]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        RunningTool.WaitForCpuTime(process, ticks: 100);

        RunningTool.Send(process, "-TERM");
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(RunningTool.Patience);
        Assert.True(process.WaitForExit(RunningTool.Patience), "elr-run profile did not end in 60 s of SIGTERM");

        Assert.Equal(143, process.ExitCode);
        Assert.Equal("elr-run: terminated (SIGTERM)\n", error);
        Assert.Equal("", await output.WaitAsync(RunningTool.Patience));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(table)!));
    }
}
