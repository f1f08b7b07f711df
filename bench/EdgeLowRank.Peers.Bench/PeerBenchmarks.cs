using BenchmarkDotNet.Attributes;

namespace EdgeLowRank.Peers.Bench;

/// <summary>One golden model run by ONNX Runtime (the baseline) and by EdgeLowRank, each with the batch and threads the
/// subclass gives; the golden models are the parameter every comparison shares.</summary>
[MemoryDiagnoser, MedianColumn]
public abstract class PeerBenchmarks
{
    private PeerSessions _sessions = null!;

    [Params("lenet300-dense", "lenet300-factorized", "lenet5-dense", "lenet5-factorized", "lenet5-1998", "depthwise-separable", "residual-blocks", "inverted-residuals", "projection-shortcuts", "fire-modules", "shuffle-units", "squeeze-excite")]
    public string Model { get; set; } = "";

    /// <summary>Samples per run.</summary>
    protected abstract int RunBatch { get; }

    /// <summary>Threads per run on each side.</summary>
    protected abstract int RunThreads { get; }

    [GlobalSetup]
    public void Setup() => _sessions = new PeerSessions(Model, RunBatch, RunThreads);

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _sessions.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _sessions.RunEdgeLowRank();
}
