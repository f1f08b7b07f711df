using BenchmarkDotNet.Attributes;

namespace EdgeLowRank.Peers.Bench;

/// <summary>One golden model run by ONNX Runtime (the baseline) and by EdgeLowRank, each with the batch and threads the
/// subclass gives; the golden models are the parameter every comparison shares.</summary>
[MemoryDiagnoser, MedianColumn]
public abstract class PeerBenchmarks
{
    private PeerSessions _sessions = null!;

    /// <summary>The golden models compared (DeployedBuild exports their graphs for a NativeAOT run).</summary>
    public static IEnumerable<string> Models => ["lenet300-dense", "lenet300-factorized", "lenet5-dense", "lenet5-factorized", "lenet5-1998",
        "depthwise-separable", "residual-blocks", "inverted-residuals", "projection-shortcuts", "fire-modules", "shuffle-units", "squeeze-excite"];

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    /// <summary>Samples per run.</summary>
    protected abstract int RunBatch { get; }

    /// <summary>Threads per run on each side.</summary>
    protected abstract int RunThreads { get; }

    /// <summary>Loads both engines and runs each once: no time is taken unless they agree within verify's tolerance. The
    /// line goes to BenchmarkDotNet's log, so a run of another build than verify's (`--aot`) shows its own agreement.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sessions = new PeerSessions(Model, RunBatch, RunThreads);
        double difference = _sessions.RequireAgreement($"{Model} at batch {RunBatch}", OutputAgreement.Tolerance);
        Console.WriteLine($"// {Model}, batch {RunBatch}, {RunThreads} thread(s): largest relative difference from ONNX Runtime {difference:0.###e+0}, within {OutputAgreement.Tolerance:0.#e+0}");
    }

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _sessions.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _sessions.RunEdgeLowRank();
}
