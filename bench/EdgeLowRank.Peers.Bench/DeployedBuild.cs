using System.Runtime.CompilerServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.NativeAot;
using EdgeLowRank.Onnx;
using EdgeLowRank.Runtime.Format;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// `--aot`: the benchmarks run in a NativeAOT process compiled as the PC binary users run is published
/// (scripts/publish.sh linux-x64 x86-64-v3 with runtime/EdgeLowRank.Runtime.Cli's settings), ONNX Runtime in the same
/// process, instead of under the JIT, which on an AVX-512 CPU compiles for x86-64-v4 and so times 512-bit kernels that no
/// published PC binary runs.
/// </summary>
/// <remarks>
/// The exporter cannot run in a NativeAOT process: it writes the model's metadata with reflection-based JSON, which
/// NativeAOT leaves out (IL2026/IL3050 on OnnxMetadata.Write). So this JIT process exports the golden models' graphs into
/// a folder before the run, and the benchmark process reads them from it (<see cref="ExportedGraph"/>); under NativeAOT the
/// branch that would call the exporter is removed at compile time, and with it the warnings.
/// </remarks>
internal sealed class DeployedBuild : IDisposable
{
    /// <summary>The instruction set scripts/publish.sh gives PC builds (AVX2 and FMA, 256-bit vectors, no AVX-512), which
    /// `--aot` takes unless given another (`--aot x86-64-v4`: the build for AVX-512 PCs).</summary>
    public const string DefaultInstructionSet = "x86-64-v3";

    /// <summary>The folder of the exported graphs, named to the benchmark process (which inherits the environment).</summary>
    private const string GraphFolderVariable = "ELR_PEERS_ONNX";

    /// <summary>The warnings that do not fail the build: BenchmarkDotNet's own, in code that builds, disassembles, parses
    /// the command line or traces, or reads the runtime's version for the report, not in what a benchmark times. IL2104
    /// and IL3053 say only that an assembly of a package produced trim or AOT warnings (the compiler folds each
    /// package's into one); IL3000 and IL3002 are Assembly.Location and Module.FullyQualifiedName, empty in a single-file
    /// binary. scripts/bench-aot-peers.sh checks which assemblies the folded ones name.</summary>
    public const string AllowedWarnings = "IL2104;IL3053;IL3000;IL3002";

    private readonly string _graphs;

    private DeployedBuild(string graphs, IConfig config)
    {
        _graphs = graphs;
        Config = config;
    }

    /// <summary>The default config with a job that every job of the command line (`--job short`) takes its toolchain
    /// and build properties from, so the command's other options work as they do under the JIT.</summary>
    public IConfig Config { get; }

    /// <summary>Exports every model of <see cref="PeerBenchmarks.Models"/> and makes the config of a build for
    /// <paramref name="instructionSet"/>.</summary>
    public static DeployedBuild Prepare(string instructionSet)
    {
        // Only the JIT host prepares. The NativeAOT process keeps the host's Main reachable (an entry point is reflectable),
        // so without this the compiler would compile the exporter call below and warn about it.
        if (!RuntimeFeature.IsDynamicCodeSupported)
            throw new InvalidOperationException("--aot is the JIT host's switch: a NativeAOT process cannot export the graphs.");
        string graphs = Directory.CreateTempSubdirectory("elr-peers-onnx-").FullName;
        foreach (string name in PeerBenchmarks.Models)
        {
            using var model = ModelReader.Load(Fixtures.Model(name));
            File.WriteAllBytes(GraphPath(graphs, name), OnnxExporter.Export(model, Int8Export.Float));
        }
        Environment.SetEnvironmentVariable(GraphFolderVariable, graphs);

        var toolchain = NativeAotToolchain.CreateBuilder()
            // No version: the ILCompiler of the SDK's .NET (10.0.12 here), the one scripts/publish.sh uses, restored from
            // the NuGet source already configured (UseNuGet's default feed is that registry).
            .UseNuGet()
            .IlcInstructionSet(instructionSet)
            .IlcOptimizationPreference("Speed")
            // elr-run's StackTraceSupport=false.
            .IlcGenerateStackTraceData(false)
            .DisplayName("NativeAOT " + instructionSet)
            .ToToolchain();

        // BenchmarkDotNet's generated project imports no Directory.Build.props, copies few properties from this one and
        // turns warnings as errors off, so elr-run's remaining settings are given to the publish as properties, and the
        // AOT compiler's warnings are made errors: a trim or AOT warning in EdgeLowRank's code or ONNX Runtime's (code
        // the compiler may have left out or cannot compile ahead of time) fails the build before anything is timed.
        var deployed = Job.Default
            .WithToolchain(toolchain)
            .WithArguments(
            [
                new MsBuildArgument("/p:InvariantGlobalization=true"),
                new MsBuildArgument("/p:UseSystemResourceKeys=true"),
                new MsBuildArgument("/p:IlcTreatWarningsAsErrors=true"),
                new MsBuildArgument("/p:WarningsNotAsErrors=" + AllowedWarnings.Replace(";", "%3B")),
            ])
            .AsMutator();
        // The AOT compile of the benchmark process (BenchmarkDotNet, ONNX Runtime's wrapper, the runtime) took 188 to 361 s
        // on the two loaded cores here, past BenchmarkDotNet's default limit of 300 s, so it gets 20 minutes.
        return new DeployedBuild(graphs, DefaultConfig.Instance.AddJob(deployed).WithBuildTimeout(TimeSpan.FromMinutes(20)));
    }

    /// <summary>Under NativeAOT, the graph this class exported for <paramref name="modelName"/>; under the JIT, null (the
    /// caller exports it itself).</summary>
    public static byte[]? ExportedGraph(string modelName, Int8Export int8)
    {
        if (RuntimeFeature.IsDynamicCodeSupported) return null;
        string? graphs = Environment.GetEnvironmentVariable(GraphFolderVariable);
        if (string.IsNullOrEmpty(graphs) || int8 != Int8Export.Float || !File.Exists(GraphPath(graphs, modelName)))
            throw new InvalidOperationException($"No exported ONNX graph of {modelName} ({int8}) in ${GraphFolderVariable} ('{graphs}'): a NativeAOT " +
                "process cannot export one. Run the peer benchmarks with --aot, which exports PeerBenchmarks' models as f32 graphs first.");
        return File.ReadAllBytes(GraphPath(graphs, modelName));
    }

    private static string GraphPath(string graphs, string modelName) => Path.Combine(graphs, modelName + ".onnx");

    public void Dispose() => Directory.Delete(_graphs, recursive: true);
}
