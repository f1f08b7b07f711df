using BenchmarkDotNet.Attributes;
using EdgeLowRank.Bench;
using EdgeLowRank.Runtime.Execution;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>Whole golden models through <see cref="InferenceSession"/> at batch 1 and 64, with allocations counted.</summary>
[MemoryDiagnoser, MedianColumn]
public class SessionBenchmarks
{
    private InferenceSession _session = null!;
    private float[] _input = null!, _output = null!;

    [Params("lenet300-dense", "lenet300-factorized")]
    public string Model { get; set; } = "";

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _session = InferenceSession.Load(Path.Combine(FixtureDirectory.Find(), Model + ".elr"), new SessionOptions { MaxBatchSize = Batch });
        var random = new Random(1);
        _input = Enumerable.Range(0, Batch * _session.InputLength).Select(_ => random.NextSingle()).ToArray();
        _output = new float[Batch * _session.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark]
    public void Run() => _session.Run(_input, _output, Batch);
}
