namespace EdgeLowRank.Peers.Bench;

/// <summary>The golden models at batch 64 with two threads per run on both sides: ONNX Runtime's intra-op thread pool
/// against EdgeLowRank's <see cref="Runtime.Execution.SessionOptions.Threads"/>.</summary>
public class TwoThreadBenchmarks : PeerBenchmarks
{
    protected override int RunBatch => 64;

    protected override int RunThreads => 2;
}
