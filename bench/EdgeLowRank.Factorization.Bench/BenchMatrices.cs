using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Factorization.Bench;

/// <summary>Seeded stand-ins for trained weights: random orthonormal bases with a decaying spectrum.</summary>
internal static class BenchMatrices
{
    /// <summary>Q₁ diag(decay^i) Q₂ᵀ, m×n.</summary>
    public static Matrix<double> Decaying(int rows, int columns, double decay, int seed)
    {
        var random = new Random(seed);
        int k = Math.Min(rows, columns);
        var left = Matrix<double>.Build.Dense(rows, k, (_, _) => random.NextDouble() - 0.5).QR().Q.SubMatrix(0, rows, 0, k);
        var right = Matrix<double>.Build.Dense(columns, k, (_, _) => random.NextDouble() - 0.5).QR().Q.SubMatrix(0, columns, 0, k);
        var sigma = Matrix<double>.Build.DenseOfDiagonalArray(Enumerable.Range(0, k).Select(i => Math.Pow(decay, i)).ToArray());
        return left * sigma * right.Transpose();
    }

    public static float[] ToSingle(Matrix<double> matrix) => Array.ConvertAll(matrix.ToRowMajorArray(), x => (float)x);
}
