using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// A rank-r approximation Θ = Left · Right in the form the runtime stores it: Left is m×r, Right is
/// r×n, so a factorized layer holds r(m+n) numbers. For the SVD, Left = U√Σ and Right = √ΣVᵀ;
/// for CUR, Left = C·U (after the core is truncated to rank r) and Right the matching row-side factor.
/// </summary>
public sealed class LowRankFactors
{
    internal LowRankFactors(int rows, int columns, int rank, double[] leftRowMajor, double[] rightRowMajor)
    {
        Rows = rows;
        Columns = columns;
        Rank = rank;
        LeftRowMajor = leftRowMajor;
        RightRowMajor = rightRowMajor;
    }

    /// <summary>m, the number of rows of the approximated matrix.</summary>
    public int Rows { get; }

    /// <summary>n, the number of columns of the approximated matrix.</summary>
    public int Columns { get; }

    /// <summary>r, the inner dimension of the two factors.</summary>
    public int Rank { get; }

    /// <summary>The numbers the runtime stores for this layer: r(m+n).</summary>
    public long StoredParameters => (long)Rank * (Rows + Columns);

    /// <summary>The m×r left factor, row-major.</summary>
    internal double[] LeftRowMajor { get; }

    /// <summary>The r×n right factor, row-major.</summary>
    internal double[] RightRowMajor { get; }

    /// <summary>The m×r left factor (a copy).</summary>
    public Matrix<double> Left => Matrix<double>.Build.DenseOfRowMajor(Rows, Rank, LeftRowMajor);

    /// <summary>The r×n right factor (a copy).</summary>
    public Matrix<double> Right => Matrix<double>.Build.DenseOfRowMajor(Rank, Columns, RightRowMajor);

    /// <summary>The left factor as row-major floats, the runtime's element type.</summary>
    public float[] LeftAsSingle() => Array.ConvertAll(LeftRowMajor, x => (float)x);

    /// <summary>The right factor as row-major floats, the runtime's element type.</summary>
    public float[] RightAsSingle() => Array.ConvertAll(RightRowMajor, x => (float)x);

    /// <summary>Θ = Left · Right, the m×n approximation.</summary>
    public Matrix<double> Approximation() =>
        Matrix<double>.Build.DenseOfRowMajor(Rows, Columns, ApproximationRowMajor());

    /// <summary>Θ as a row-major array (what the joint optimization subtracts from W).</summary>
    public double[] ApproximationRowMajor()
    {
        var theta = new double[Rows * Columns];
        if (Rank > 0)
        {
            DenseKernels.Multiply(LeftRowMajor, RightRowMajor, theta, Rows, Rank, Columns);
        }
        return theta;
    }
}
