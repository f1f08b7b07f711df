using BenchmarkDotNet.Attributes;

namespace EdgeLowRank.Peers.Bench;

/// <summary>LeNet-300-100 dense and factorized (ranks 30/20/full) and LeNet-5 dense and factorized (conv2 at rank 12, fc1 at
/// rank 40), batch 1 and 64: EdgeLowRank against ONNX Runtime in one run.</summary>
[MemoryDiagnoser, MedianColumn]
public class WholeModelBenchmarks
{
    private PeerSessions _sessions = null!;

    [Params("lenet300-dense", "lenet300-factorized", "lenet5-dense", "lenet5-factorized")]
    public string Model { get; set; } = "";

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup() => _sessions = new PeerSessions(Model, Batch);

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _sessions.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _sessions.RunEdgeLowRank();
}
