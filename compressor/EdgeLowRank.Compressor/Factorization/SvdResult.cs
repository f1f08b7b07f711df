using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// The singular value decomposition W = U Σ Vᵀ of an m×n matrix, as computed by
/// <see cref="TruncatedSvd"/>: all k = min(m,n) singular values, descending, and the leading
/// singular vectors that were asked for.
/// </summary>
public sealed class SvdResult
{
    internal SvdResult(int rows, int columns, double[] squaredSingularValues, int vectorCount, double[] leftRows, double[] rightRows)
    {
        Rows = rows;
        Columns = columns;
        SquaredSingularValues = squaredSingularValues;
        VectorCount = vectorCount;
        LeftRows = leftRows;
        RightRows = rightRows;
    }

    /// <summary>m.</summary>
    public int Rows { get; }

    /// <summary>n.</summary>
    public int Columns { get; }

    /// <summary>How many leading singular vector pairs are held.</summary>
    public int VectorCount { get; }

    /// <summary>σᵢ², descending, length min(m,n). Kept squared: that is what the Gram route computes.</summary>
    internal double[] SquaredSingularValues { get; }

    /// <summary>VectorCount rows of length m: row i is uᵢ.</summary>
    internal double[] LeftRows { get; }

    /// <summary>VectorCount rows of length n: row i is vᵢ.</summary>
    internal double[] RightRows { get; }

    /// <summary>σᵢ, descending, length min(m,n).</summary>
    public double[] SingularValues() => Array.ConvertAll(SquaredSingularValues, Math.Sqrt);

    /// <summary>U: m × VectorCount, orthonormal columns.</summary>
    public Matrix<double> LeftVectors() => Matrix<double>.Build.DenseOfRowMajor(VectorCount, Rows, LeftRows).Transpose();

    /// <summary>V: n × VectorCount, orthonormal columns (zero for numerically zero σᵢ, see <see cref="TruncatedSvd"/>).</summary>
    public Matrix<double> RightVectors() => Matrix<double>.Build.DenseOfRowMajor(VectorCount, Columns, RightRows).Transpose();

    /// <summary>
    /// e(r) = ‖W − W_r‖_F² = Σ_{i&gt;r} σᵢ² for every r = 0..min(m,n) (Eckart–Young), by one suffix sum
    /// of the squared singular values: O(min(m,n)) for the whole curve.
    /// </summary>
    public double[] ErrorCurve()
    {
        int k = SquaredSingularValues.Length;
        var curve = new double[k + 1];
        for (int r = k - 1; r >= 0; r--)
        {
            curve[r] = curve[r + 1] + SquaredSingularValues[r];
        }
        return curve;
    }

    /// <summary>The best rank-r approximation as the runtime's two factors: U_r√Σ_r and √Σ_rV_rᵀ.</summary>
    public LowRankFactors Truncate(int rank)
    {
        if (rank < 0 || rank > VectorCount)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank must be in 0..{VectorCount} (the singular vectors computed for this {Rows}×{Columns} matrix).");
        }
        var left = new double[Rows * rank];
        var right = new double[rank * Columns];
        for (int i = 0; i < rank; i++)
        {
            double rootSigma = Math.Sqrt(Math.Sqrt(SquaredSingularValues[i]));
            for (int row = 0; row < Rows; row++)
            {
                left[row * rank + i] = rootSigma * LeftRows[i * Rows + row];
            }
            for (int col = 0; col < Columns; col++)
            {
                right[i * Columns + col] = rootSigma * RightRows[i * Columns + col];
            }
        }
        return new LowRankFactors(Rows, Columns, rank, left, right);
    }
}
