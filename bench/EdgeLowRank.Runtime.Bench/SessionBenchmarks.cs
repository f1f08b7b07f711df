using BenchmarkDotNet.Attributes;
using EdgeLowRank.Bench;
using EdgeLowRank.Runtime.Execution;
using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Bench;

/// <summary>Whole golden models through <see cref="InferenceSession"/> at batch 1 and 64, on the scalar reference and
/// on every vector width this CPU accelerates, with allocations counted; the factorized ones also with int8 weights.</summary>
[MemoryDiagnoser, MedianColumn]
public class SessionBenchmarks
{
    private InferenceSession _session = null!;
    private float[] _input = null!, _output = null!;

    [Params("lenet300-dense", "lenet300-factorized", "lenet300-factorized-int8", "lenet5-dense", "lenet5-factorized", "lenet5-factorized-int8", "lenet5-1998", "depthwise-separable", "residual-blocks", "inverted-residuals", "projection-shortcuts", "fire-modules", "shuffle-units", "squeeze-excite")]
    public string Model { get; set; } = "";

    [Params(1, 64)]
    public int Batch { get; set; }

    /// <summary>The scalar reference and the accelerated widths; a width in software would only time an emulation.</summary>
    [ParamsSource(typeof(AcceleratedPaths), nameof(AcceleratedPaths.WithScalar))]
    public KernelPath Kernel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _session = InferenceSession.Load(Path.Combine(FixtureDirectory.Find(), Model + ".elr"),
            new SessionOptions { MaxBatchSize = Batch, KernelPath = Kernel });
        var random = new Random(1);
        _input = Enumerable.Range(0, Batch * _session.InputLength).Select(_ => random.NextSingle()).ToArray();
        _output = new float[Batch * _session.OutputLength];
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark]
    public void Run() => _session.Run(_input, _output, Batch);
}
