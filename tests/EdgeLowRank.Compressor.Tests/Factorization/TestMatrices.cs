using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Tests.Factorization;

/// <summary>Seeded test matrices with a known spectrum.</summary>
internal static class TestMatrices
{
    /// <summary>Entries uniform in [−0.5, 0.5).</summary>
    public static Matrix<double> Uniform(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(rows, columns, (_, _) => random.NextDouble() - 0.5);
    }

    /// <summary>Q₁ diag(σ) Q₂ᵀ with random orthonormal Q₁, Q₂ and the given singular values.</summary>
    public static Matrix<double> WithSpectrum(int rows, int columns, IReadOnlyList<double> singularValues, int seed)
    {
        int k = singularValues.Count;
        var left = Uniform(rows, k, seed).QR().Q.SubMatrix(0, rows, 0, k);
        var right = Uniform(columns, k, seed + 1).QR().Q.SubMatrix(0, columns, 0, k);
        return left * Matrix<double>.Build.DenseOfDiagonalArray(singularValues.ToArray()) * right.Transpose();
    }

    /// <summary>σᵢ = decay^i, i = 0..min(m,n)−1.</summary>
    public static Matrix<double> Decaying(int rows, int columns, double decay, int seed) =>
        WithSpectrum(rows, columns, Enumerable.Range(0, Math.Min(rows, columns)).Select(i => Math.Pow(decay, i)).ToArray(), seed);

    /// <summary>An exactly rank-k matrix: a product of random m×k and k×n factors.</summary>
    public static Matrix<double> ExactRank(int rows, int columns, int rank, int seed) =>
        Uniform(rows, rank, seed) * Uniform(rank, columns, seed + 1);

    public static double SquaredError(Matrix<double> w, Matrix<double> theta)
    {
        double norm = (w - theta).FrobeniusNorm();
        return norm * norm;
    }
}
