using BenchmarkDotNet.Attributes;
using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Compressor.Models;
using EdgeLowRank.Compressor.Training;
using EdgeLowRank.Runtime.Layers;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Factorization.Bench;

/// <summary>
/// Targets (issue 4): SVD of 300×784 ≤ 60 ms; C step for LeNet-300-100 with all ranks enumerated
/// ≤ 100 ms with SVD and ≤ 200 ms with CUR — measured on <see cref="CompressionStep.Run"/>, the code the
/// LC loop runs (error curves, λ bisection for the target ratio, factors). Single-threaded throughout. The LeNet-5 pairs
/// measure what a binding FLOPs floor (--min-flops-ratio, a grid of 33 priced bisections) adds, with the defaults (the
/// classifier fc2 held dense): in a whole C step, and in its choice alone, from curves decomposed once in the setup.
/// The whole step's decompositions vary more from one benchmark process to the next than the floor costs, so only the
/// second pair isolates it.
/// </summary>
[MemoryDiagnoser]
public class FactorizationBenchmarks
{
    private const double Mu = 1e-1;
    private Matrix<double> first = null!;
    private IReadOnlyList<CompressibleLayer> compressible = null!;
    private float[][] multipliers = null!;
    // All three LeNet-300-100 layers are enumerated, as the target states: the defaults hold the classifier (fc3, 10×100)
    // dense and skip its curve, so a default C step does less than this measures.
    private readonly LcOptions svdOptions = new() { Method = FactorizationMethod.Svd, TargetRatio = 10, Threads = 1, CompressClassifier = true };
    private readonly LcOptions curOptions = new() { Method = FactorizationMethod.Cur, TargetRatio = 10, Threads = 1, CompressClassifier = true };
    // The eighth round of docs/RESULTS.md tried --oversampling 4 for CUR on LeNet-300-100 (it is not in the recipe).
    private readonly LcOptions curRho4Options = new()
        { Method = FactorizationMethod.Cur, Cur = new CurOptions(Oversampling: 4), TargetRatio = 10, Threads = 1, CompressClassifier = true };
    private IReadOnlyList<CompressibleLayer> lenet5 = null!;
    private float[][] lenet5Multipliers = null!;
    private readonly LcOptions lenet5Options = new() { Method = FactorizationMethod.Svd, TargetRatio = 11, Threads = 1 };
    private double[]?[] lenet5Errors = null!;
    private RankCost[] lenet5Costs = null!;

    [GlobalSetup]
    public void Setup()
    {
        first = BenchMatrices.Decaying(300, 784, 0.98, seed: 1);
        // The LC loop's own C step on LeNet-300-100 as the model zoo builds it, its weights replaced by
        // matrices with decaying spectra (trained weights' stand-ins) and the multipliers at zero.
        Network network = ModelZoo.Create("lenet300", new SampleShape(28, 28, 1), 10, seed: 1);
        (compressible, multipliers) = WithDecayingWeights(network);
        (lenet5, lenet5Multipliers) = WithDecayingWeights(ModelZoo.Create("lenet5", new SampleShape(28, 28, 1), 10, seed: 1));
        // Say whether the floor binds on these weights, so the pair measures what it claims to.
        double flops = CompressionRatios.Flops(lenet5, CompressionStep.Run(lenet5, lenet5Multipliers, Mu, lenet5Options).Decisions);
        Console.WriteLine($"// LeNet-5 C step at target 11 without a floor: {flops:F2}x fewer FLOPs; the floor of 3 {(flops < 3 ? "binds" : "does not bind")}");
        // What a C step chooses from, prepared once by the C step's own code.
        LayerCurve?[] curves = CompressionStep.Decompose(lenet5, lenet5Multipliers, Mu, lenet5Options).Curves;
        lenet5Errors = CompressionStep.AdmissibleErrors(lenet5, curves, lenet5Options);
        lenet5Costs = CompressionStep.Costs(lenet5, lenet5Options);
    }

    /// <summary>The network's compressible layers with decaying-spectrum weights (0.98^i for the first, 0.95^i after) and zero multipliers.</summary>
    private static (IReadOnlyList<CompressibleLayer> Layers, float[][] Multipliers) WithDecayingWeights(Network network)
    {
        IReadOnlyList<CompressibleLayer> layers = CompressibleLayer.Find(network);
        for (int i = 0; i < layers.Count; i++)
        {
            CompressibleLayer layer = layers[i];
            Matrix<double> weight = BenchMatrices.Decaying(layer.Rows, layer.Columns, i == 0 ? 0.98 : 0.95, seed: i + 1);
            BenchMatrices.ToSingle(weight).CopyTo(layer.Layer.Weight.Value, 0);
        }
        return (layers, layers.Select(l => new float[l.Layer.Weight.Value.Length]).ToArray());
    }

    [Benchmark(Description = "SVD 300x784, ours (all values + vectors)")]
    public SvdResult SvdOurs() => TruncatedSvd.Compute(first);

    [Benchmark(Description = "SVD 300x784, MathNet managed")]
    public object SvdMathNet() => first.Svd(computeVectors: true);

    [Benchmark(Description = "CUR error curve 300x784, Q-DEIM, rho=2, all ranks")]
    public double[] CurErrorCurve() => CurDecomposition.ErrorCurve(first);

    [Benchmark(Description = "C step LeNet-300-100, SVD, target ratio 10")]
    public double CStepSvd() => CompressionStep.Run(compressible, multipliers, Mu, svdOptions).Lambda;

    [Benchmark(Description = "C step LeNet-300-100, CUR (Q-DEIM, rho=2), target ratio 10")]
    public double CStepCur() => CompressionStep.Run(compressible, multipliers, Mu, curOptions).Lambda;

    [Benchmark(Description = "C step LeNet-300-100, CUR (Q-DEIM, rho=4), target ratio 10")]
    public double CStepCurRho4() => CompressionStep.Run(compressible, multipliers, Mu, curRho4Options).Lambda;

    [Benchmark(Description = "C step LeNet-5, SVD, target ratio 11")]
    public double CStepLenet5() => CompressionStep.Run(lenet5, lenet5Multipliers, Mu, lenet5Options).Lambda;

    [Benchmark(Description = "C step LeNet-5, SVD, target ratio 11, FLOPs floor 3")]
    public double CStepLenet5Floor() => CompressionStep.Run(lenet5, lenet5Multipliers, Mu, lenet5Options with { MinFlopsRatio = 3 }).Lambda;

    [Benchmark(Description = "C step LeNet-5, the choice alone (curves given), target ratio 11")]
    public double ChoiceLenet5() => TargetRatioSearch.Run(lenet5, lenet5Errors, lenet5Costs, Mu, lenet5Options, 11).Lambda;

    [Benchmark(Description = "C step LeNet-5, the choice alone (curves given), target ratio 11, FLOPs floor 3")]
    public double ChoiceLenet5Floor() =>
        TargetRatioSearch.Run(lenet5, lenet5Errors, lenet5Costs, Mu, lenet5Options with { MinFlopsRatio = 3 }, 11).Lambda;
}
