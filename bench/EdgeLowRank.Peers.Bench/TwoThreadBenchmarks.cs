using BenchmarkDotNet.Attributes;

namespace EdgeLowRank.Peers.Bench;

/// <summary>The golden models at batch 64 with two threads per run on both sides: ONNX Runtime's intra-op thread pool
/// against EdgeLowRank's <see cref="Runtime.Execution.SessionOptions.Threads"/>.</summary>
[MemoryDiagnoser, MedianColumn]
public class TwoThreadBenchmarks
{
    private PeerSessions _sessions = null!;

    [Params("lenet300-dense", "lenet300-factorized", "lenet5-dense", "lenet5-factorized")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _sessions = new PeerSessions(Model, batch: 64, threads: 2);

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _sessions.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _sessions.RunEdgeLowRank();
}
