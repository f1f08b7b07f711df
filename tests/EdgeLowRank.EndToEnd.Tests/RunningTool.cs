using System.Diagnostics;
using System.Globalization;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>Helpers for tests that signal a running elr-run (Tool.StartElrRun): its stderr line by line, its CPU time, kill(1).</summary>
internal static class RunningTool
{
    /// <summary>How long a test waits for a line or an end: long, so a loaded machine only makes it slower.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The next line elr-run writes on stderr, waited for at most a minute.</summary>
    public static async Task<string> ReadErrorLine(Process process) =>
        await process.StandardError.ReadLineAsync().WaitAsync(Patience)
        ?? throw new Xunit.Sdk.XunitException("elr-run ended before it wrote the line awaited");

    /// <summary>Waits until <paramref name="process"/> has used <paramref name="ticks"/> more clock ticks (10 ms each) of CPU
    /// time than now, from /proc: time it spent running, however busy the machine.</summary>
    public static void WaitForCpuTime(Process process, int ticks)
    {
        long start = CpuTicks(process), waited = Stopwatch.GetTimestamp();
        while (CpuTicks(process) < start + ticks)
        {
            Assert.True(Stopwatch.GetElapsedTime(waited) < Patience, $"elr-run used less than {ticks} ticks of CPU time in 60 s");
            Thread.Sleep(10);
        }
    }

    /// <summary>utime + stime, the 14th and 15th fields of /proc/PID/stat (counted after the command's closing parenthesis).</summary>
    public static long CpuTicks(Process process)
    {
        string stat = File.ReadAllText($"/proc/{process.Id}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    public static void Interrupt(Process process) => Send(process, "-INT");

    /// <summary>Sends <paramref name="signal"/> ("-INT", "-TERM") to <paramref name="process"/> with kill(1), as a user or a service manager does.</summary>
    public static void Send(Process process, string signal)
    {
        using Process kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>Kills the process if a failed assertion left it running: 100 million runs would outlast the test run.</summary>
    public sealed class EndedAfterTest(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
