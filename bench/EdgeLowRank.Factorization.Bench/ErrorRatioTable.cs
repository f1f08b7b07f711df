using EdgeLowRank.Compressor.Factorization;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Factorization.Bench;

/// <summary>Prints a Markdown table of measured CUR/SVD error ratios ‖W − Θ_CUR(r)‖² / ‖W − Θ_SVD(r)‖².</summary>
internal static class ErrorRatioTable
{
    private static readonly int[] Ranks = { 5, 10, 20, 40, 80 };

    public static void Print()
    {
        var cases = new (string Name, Matrix<double> W)[]
        {
            ("100×150, σᵢ = 0.9^i", BenchMatrices.Decaying(100, 150, 0.9, seed: 7)),
            ("100×150, σᵢ = 0.97^i", BenchMatrices.Decaying(100, 150, 0.97, seed: 8)),
            ("300×784, σᵢ = 0.98^i", BenchMatrices.Decaying(300, 784, 0.98, seed: 1)),
        };
        var settings = new (string Name, CurOptions Options)[]
        {
            ("Q-DEIM ρ=1", new CurOptions(CurSelection.QDeim, 1)),
            ("Q-DEIM ρ=2", new CurOptions(CurSelection.QDeim, 2)),
            ("DEIM ρ=2", new CurOptions(CurSelection.Deim, 2)),
            ("top leverage ρ=2", new CurOptions(CurSelection.TopLeverage, 2)),
            ("sampling ρ=2 (seed 0)", new CurOptions(CurSelection.LeverageSampling, 2)),
        };
        Console.WriteLine("| matrix | CUR | " + string.Join(" | ", Ranks.Select(r => $"r={r}")) + " |");
        Console.WriteLine("|---|---|" + string.Concat(Ranks.Select(_ => "---|")));
        foreach (var (name, w) in cases)
        {
            double[] svd = TruncatedSvd.Compute(w).ErrorCurve();
            foreach (var (settingName, options) in settings)
            {
                double[] cur = CurDecomposition.ErrorCurve(w, options);
                Console.WriteLine($"| {name} | {settingName} | " + string.Join(" | ", Ranks.Select(r => (cur[r] / svd[r]).ToString("F2"))) + " |");
            }
        }
    }
}
