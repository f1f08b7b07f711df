using System.Diagnostics;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>What a tool of the repository printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>Runs a tool of the repository (its build output, through `dotnet`) and captures what it prints.</summary>
internal static class Tool
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(RepositoryRoot, "tests", "fixtures", name);

    /// <summary>Runs elr-run from the same build configuration as the tests.</summary>
    public static ToolResult ElrRun(params string[] args) => ElrRunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs elr-run with extra environment variables (DOTNET_EnableHWIntrinsic=0, for one).</summary>
    public static ToolResult ElrRunWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(ElrRunAssembly, args, environment);

    /// <summary>Runs the compressor's elr from the same build configuration as the tests.</summary>
    public static ToolResult Elr(params string[] args) => ElrWith(new Dictionary<string, string>(), args);

    /// <summary>Runs the compressor's elr with extra environment variables (ELR_DATA, for one).</summary>
    public static ToolResult ElrWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(ElrAssembly, args, environment);

    /// <summary>Runs the compressor's elr in <paramref name="workingDirectory"/>, for what a bare name there means (./mnist beside --dataset mnist).</summary>
    public static ToolResult ElrIn(string workingDirectory, params string[] args) => Run(ElrAssembly, args, workingDirectory: workingDirectory);

    /// <summary>Runs elr-run with its stdout redirected by the shell to <paramref name="file"/> (/dev/full, for one), as a user's `>` does.</summary>
    public static ToolResult ElrRunInto(string file, params string[] args) => Run(ElrRunAssembly, args, stdoutFile: file);

    /// <summary>Runs elr with its stdout redirected by the shell to <paramref name="file"/>, as a user's `>` does.</summary>
    public static ToolResult ElrInto(string file, params string[] args) => Run(ElrAssembly, args, stdoutFile: file);

    /// <summary>Starts elr-run without waiting, for what <see cref="ElrRun"/> cannot give it: a signal while it runs, a shell's
    /// limit (<paramref name="shellPrefix"/>, such as "ulimit -v N;"). Its SIGINT is reset to the default: a test host
    /// started with it ignored (`dotnet test &amp;` in a script) would pass that on, and elr-run would rightly keep ignoring it.</summary>
    public static Process StartElrRun(string[] args, string shellPrefix = "") => Start(ElrRunAssembly, args, shellPrefix);

    /// <summary>Starts the compressor's elr without waiting, as <see cref="StartElrRun"/> starts elr-run (a signal while it runs).</summary>
    public static Process StartElr(IReadOnlyDictionary<string, string> environment, params string[] args) => Start(ElrAssembly, args, "", environment);

    private static Process Start(string assembly, string[] args, string shellPrefix, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // exec: the shell becomes env, and env the tool, so the process's id is the tool's.
        foreach (string word in new[] { "-c", shellPrefix + " exec env --default-signal=INT dotnet \"$@\"", "sh", assembly }.Concat(args))
            start.ArgumentList.Add(word);
        start.Environment["DOTNET_TieredCompilation"] = "0";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return Process.Start(start)!;
    }

    private static string ElrRunAssembly => Path.Combine(RepositoryRoot, "runtime", "EdgeLowRank.Runtime.Cli", "bin", Configuration, "net10.0", "elr-run.dll");

    private static string ElrAssembly => Path.Combine(RepositoryRoot, "compressor", "EdgeLowRank.Compressor.Cli", "bin", Configuration, "net10.0", "elr.dll");

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static ToolResult Run(string assembly, string[] args, IReadOnlyDictionary<string, string>? environment = null, string? stdoutFile = null,
        string workingDirectory = "")
    {
        if (!File.Exists(assembly)) throw new FileNotFoundException($"Build the solution first: {assembly} is missing.", assembly);
        var start = new ProcessStartInfo(stdoutFile is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        if (stdoutFile is not null)
        {
            // The shell opens the file as the tool's stdout; the path travels in the environment, so no quoting is needed.
            start.Environment["ELR_TEST_STDOUT"] = stdoutFile;
            foreach (string word in new[] { "-c", "exec dotnet \"$@\" > \"$ELR_TEST_STDOUT\"", "sh" }) start.ArgumentList.Add(word);
        }
        // The shipped elr-run is NativeAOT, which never recompiles; without tiering the JIT build compiles each
        // method once too, so what `bench` measures (managed bytes per inference) is the tool's, not a tier-up's.
        start.Environment["DOTNET_TieredCompilation"] = "0";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.ArgumentList.Add(assembly);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(assembly)} {string.Join(' ', args)} did not finish in 60 s.");
        }
        return new ToolResult(process.ExitCode, output.Result, error.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeLowRank.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("EdgeLowRank.sln not found above " + AppContext.BaseDirectory);
    }
}
