using BenchmarkDotNet.Attributes;
using EdgeLowRank.Onnx;

namespace EdgeLowRank.Peers.Bench;

/// <summary>
/// Files PyTorch's own torch.onnx.export wrote (scripts/export-torch-models.py, into the folder $ELR_TORCH_EXPORTS):
/// ONNX Runtime runs the file as PyTorch wrote it, EdgeLowRank the model `elr import-onnx` makes of it, one image at a
/// time on one and on two threads a run (ONNX Runtime's intra-op threads; the session's threads, which split each large
/// layer of one image). Before any timing the two must agree on a random image.
/// </summary>
[MemoryDiagnoser, MedianColumn]
public class TorchExportBenchmarks
{
    private PeerSessions _sessions = null!;

    [Params("resnet18", "mobilenet_v2", "squeezenet1_1", "shufflenet_v2_x0_5", "mobilenet_v3_small", "efficientnet_b0")]
    public string Model { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = Environment.GetEnvironmentVariable("ELR_TORCH_EXPORTS") is { Length: > 0 } set ? set
            : throw new InvalidOperationException("Set ELR_TORCH_EXPORTS to a folder scripts/export-torch-models.py wrote (README, \"ONNX\").");
        byte[] onnx = File.ReadAllBytes(Path.Combine(folder, Model + ".onnx"));
        _sessions = new PeerSessions(OnnxImporter.Import(onnx), batch: 1, Threads, onnx: onnx);
        _sessions.RequireAgreement(Model);
    }

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _sessions.RunOnnxRuntime();

    [Benchmark]
    public void EdgeLowRank() => _sessions.RunEdgeLowRank();
}
