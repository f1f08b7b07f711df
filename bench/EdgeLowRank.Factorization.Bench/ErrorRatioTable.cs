using EdgeLowRank.Compressor.Compression;
using EdgeLowRank.Compressor.Export;
using EdgeLowRank.Compressor.Factorization;
using EdgeLowRank.Runtime.Format;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Factorization.Bench;

/// <summary>
/// Prints a Markdown table of measured CUR/SVD error ratios ‖W − Θ_CUR(r)‖² / ‖W − Θ_SVD(r)‖², on seeded matrices with
/// decaying spectra or, given a model file, on its trained layers (a convolution's kernel reshaped as the C step sees it).
/// </summary>
internal static class ErrorRatioTable
{
    private static readonly int[] Ranks = { 5, 10, 20, 40, 80 };

    /// <summary>The table for the seeded matrices, or for the layers of the model at <paramref name="modelPath"/>.</summary>
    public static void Print(string? modelPath)
    {
        var cases = modelPath is null
            ? new (string Name, Matrix<double> W)[]
            {
                ("100×150, σᵢ = 0.9^i", BenchMatrices.Decaying(100, 150, 0.9, seed: 7)),
                ("100×150, σᵢ = 0.97^i", BenchMatrices.Decaying(100, 150, 0.97, seed: 8)),
                ("300×784, σᵢ = 0.98^i", BenchMatrices.Decaying(300, 784, 0.98, seed: 1)),
            }
            : TrainedLayers(modelPath);
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
                // A rank beyond the matrix, or one where the SVD is exact, has no ratio.
                Console.WriteLine($"| {name} | {settingName} | "
                    + string.Join(" | ", Ranks.Select(r => r < cur.Length && svd[r] > 0 ? (cur[r] / svd[r]).ToString("F2") : "—")) + " |");
            }
        }
    }

    private static (string Name, Matrix<double> W)[] TrainedLayers(string path) =>
        CompressibleLayer.Find(NetworkImporter.ToNetwork(ModelReader.Load(path)))
            .Select(l => ($"{Path.GetFileName(path)} {l.Layer.Name} {l.Rows}×{l.Columns}",
                Matrix<double>.Build.Dense(l.Rows, l.Columns, (i, j) => l.Layer.Weight.Value[i * l.Columns + j])))
            .ToArray();
}
