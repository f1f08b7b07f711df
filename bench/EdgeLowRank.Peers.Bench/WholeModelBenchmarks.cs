using BenchmarkDotNet.Attributes;

namespace EdgeLowRank.Peers.Bench;

/// <summary>LeNet-300-100 dense and factorized (ranks 30/20/full) and LeNet-5 dense and factorized (conv2 at rank 12, fc1 at
/// rank 40), batch 1 and 64, one thread: EdgeLowRank against ONNX Runtime in one run.</summary>
public class WholeModelBenchmarks : PeerBenchmarks
{
    [Params(1, 64)]
    public int Batch { get; set; }

    protected override int RunBatch => Batch;

    protected override int RunThreads => 1;
}
