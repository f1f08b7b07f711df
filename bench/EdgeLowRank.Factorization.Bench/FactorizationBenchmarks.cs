using BenchmarkDotNet.Attributes;
using EdgeLowRank.Compressor.Factorization;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Factorization.Bench;

/// <summary>
/// Targets (issue 4): SVD of 300×784 ≤ 60 ms; C step for LeNet-300-100 with all ranks enumerated
/// ≤ 100 ms with SVD and ≤ 200 ms with CUR. Single-threaded throughout.
/// </summary>
[MemoryDiagnoser]
public class FactorizationBenchmarks
{
    private const double Lambda = 1e-4;
    private const double Mu = 1e-1;
    private Matrix<double> first = null!;
    private float[][] layers = null!;

    [GlobalSetup]
    public void Setup()
    {
        first = BenchMatrices.Decaying(300, 784, 0.98, seed: 1);
        layers = BenchMatrices.LeNet300100
            .Select((shape, i) => BenchMatrices.ToSingle(i == 0 ? first : BenchMatrices.Decaying(shape.Rows, shape.Columns, 0.95, seed: i + 1)))
            .ToArray();
    }

    [Benchmark(Description = "SVD 300x784, ours (all values + vectors)")]
    public SvdResult SvdOurs() => TruncatedSvd.Compute(first);

    [Benchmark(Description = "SVD 300x784, MathNet managed")]
    public object SvdMathNet() => first.Svd(computeVectors: true);

    [Benchmark(Description = "CUR error curve 300x784, Q-DEIM, rho=2, all ranks")]
    public double[] CurErrorCurve() => CurDecomposition.ErrorCurve(first);

    [Benchmark(Description = "C step LeNet-300-100, SVD")]
    public int CStepSvd()
    {
        int total = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            var (m, n) = BenchMatrices.LeNet300100[l];
            SvdResult svd = TruncatedSvd.Compute(layers[l], m, n);
            RankChoice choice = RankSelection.Choose(svd.ErrorCurve(), m, n, RankCost.Storage(m, n), Lambda, Mu);
            total += choice.KeepDense ? m * n : svd.Truncate(choice.Rank).Rank;
        }
        return total;
    }

    [Benchmark(Description = "C step LeNet-300-100, CUR (Q-DEIM, rho=2)")]
    public int CStepCur()
    {
        int total = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            var (m, n) = BenchMatrices.LeNet300100[l];
            double[] curve = CurDecomposition.ErrorCurve(layers[l], m, n);
            RankChoice choice = RankSelection.Choose(curve, m, n, RankCost.Storage(m, n), Lambda, Mu);
            total += choice.KeepDense ? m * n : CurDecomposition.Factorize(layers[l], m, n, choice.Rank).Factors.Rank;
        }
        return total;
    }
}
