using BenchmarkDotNet.Attributes;

namespace EdgeLowRank.Peers.Bench;

/// <summary>torchvision's ResNet-18 (<see cref="TorchvisionResNet18"/>) at one and at four 224×224 images, on one and on two
/// threads a run (ONNX Runtime's intra-op threads; EdgeLowRank splits each layer's matrix product by output columns when
/// the batch is too small to split into parts of two images, as at one): EdgeLowRank against ONNX Runtime given
/// the same graph (exported from the runtime's model), in one run. Before any timing, the two must agree: a network this
/// deep would hide a wrong layer in no time figure.</summary>
[MemoryDiagnoser, MedianColumn]
public class ResNet18Benchmarks
{
    private PeerSessions _sessions = null!;

    [Params(1, 4)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _sessions = new PeerSessions(TorchvisionResNet18.Build(), Batch, Threads);
        _sessions.RequireAgreement("ResNet-18");
    }

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _sessions.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _sessions.RunEdgeLowRank();
}
