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

    [Fact]
    public async Task SIGTERM_ends_run_with_exit_code_143_and_no_outputs_file_or_temporary_file()
    {
        // 100,000 MNIST-sized images of a byte pattern (an IDX file of bytes, as MNIST's own) one at a time through LeNet-5:
        // 5 s of work here, stopped a second of CPU time after the start. run writes its -o at the end, whole or not at all.
        const int Samples = 100_000;
        byte[] idx = new byte[16 + Samples * 28 * 28];
        for (int i = 16; i < idx.Length; i++) idx[i] = (byte)(i * 7);
        idx[2] = 0x08; idx[3] = 3;   // unsigned bytes, three dimensions
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(4), Samples);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(8), 28);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan(12), 28);
        string input = Write("images.idx", idx), outputs = PathOf("outputs.npy");
        using Process process = Tool.StartElrRun(["run", Tool.Fixture("lenet5-dense.elr"), "--input", input, "--batch", "1", "--quiet", "-o", outputs]);
        using var ended = new RunningTool.EndedAfterTest(process);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        RunningTool.WaitForCpuTime(process, ticks: 100);

        RunningTool.Send(process, "-TERM");
        string error = await process.StandardError.ReadToEndAsync().WaitAsync(RunningTool.Patience);
        Assert.True(process.WaitForExit(RunningTool.Patience), "elr-run run did not end in 60 s of SIGTERM");

        Assert.True(process.ExitCode == 143, $"exit code {process.ExitCode} (0: the run ended before the signal); stderr: {error}");
        Assert.Equal("elr-run: terminated (SIGTERM)\n", error);
        Assert.Equal("", await output.WaitAsync(RunningTool.Patience));
        Assert.Equal(["images.idx"], Directory.GetFileSystemEntries(Path.GetDirectoryName(outputs)!).Select(Path.GetFileName));
    }
}
