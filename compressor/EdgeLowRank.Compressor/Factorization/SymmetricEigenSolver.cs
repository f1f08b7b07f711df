using System.Numerics.Tensors;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// Eigenvalues (and optionally eigenvectors) of a dense symmetric matrix: Householder reduction to
/// tridiagonal form, then the implicit QL iteration with Wilkinson-type shifts (Golub &amp; Van Loan,
/// "Matrix Computations", §8.3). MathNet's managed symmetric EVD took 70–190 ms for 300×300 here.
/// This version keeps everything row-major and stores the eigenvectors as rows, so every inner loop
/// (the rank-2 update, the reflector accumulation and each QL plane rotation) runs over contiguous
/// memory with SIMD instead of striding down columns.
/// </summary>
internal static class SymmetricEigenSolver
{
    private const int MaxIterationsPerEigenvalue = 60;

    /// <summary>Iterations on one eigenvalue after which rounding, not convergence, is taken to hold a coupling up (QL converges cubically: a handful of iterations is the norm).</summary>
    private const int StalledAfter = 20;

    /// <summary>The spacing of doubles at 1, 2⁻⁵².</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Diagonalizes the symmetric n×n row-major <paramref name="matrix"/> (overwritten).
    /// On return <paramref name="eigenvalues"/> holds the eigenvalues in descending order; when
    /// <paramref name="eigenvectorRows"/> is given (length n·n) its row i is the unit eigenvector of
    /// eigenvalue i.
    /// </summary>
    public static void Solve(double[] matrix, int n, Span<double> eigenvalues, double[]? eigenvectorRows)
    {
        var diagonal = new double[n];
        var offDiagonal = new double[n];
        var reflectorScales = new double[n];
        Tridiagonalize(matrix, n, diagonal, offDiagonal, reflectorScales);
        if (eigenvectorRows is not null)
        {
            AccumulateTransposedReflectors(matrix, n, reflectorScales, eigenvectorRows);
        }
        DiagonalizeTridiagonal(diagonal, offDiagonal, n, eigenvectorRows);
        SortDescending(diagonal, n, eigenvectorRows);
        diagonal.CopyTo(eigenvalues);
    }

    /// <summary>
    /// Reduces a to T = Qᵀ a Q with Q = H₀H₁⋯H_{n−3}. Reflector k (I − β v vᵀ, acting on indices
    /// k+1..n−1) is stored in row k of a, right of the diagonal; β in <paramref name="reflectorScales"/>.
    /// </summary>
    private static void Tridiagonalize(double[] a, int n, double[] diagonal, double[] offDiagonal, double[] reflectorScales)
    {
        var p = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int size = n - k - 1;
            Span<double> v = a.AsSpan(k * n + k + 1, size);
            diagonal[k] = a[k * n + k];
            double tailNormSquared = TensorPrimitives.SumOfSquares<double>(v[1..]);
            if (tailNormSquared == 0)
            {
                // Already tridiagonal in this column: the identity is the reflector.
                offDiagonal[k] = v[0];
                reflectorScales[k] = 0;
                v.Clear();
                continue;
            }
            double norm = Math.Sqrt(v[0] * v[0] + tailNormSquared);
            // The sign choice avoids cancellation in v₀ − α.
            double alpha = v[0] > 0 ? -norm : norm;
            v[0] -= alpha;
            double beta = 2 / (v[0] * v[0] + tailNormSquared);
            offDiagonal[k] = alpha;
            reflectorScales[k] = beta;

            // Two-sided update of the trailing block S: with p = β S v and w = p − (β/2)(pᵀv) v,
            // H S H = S − v wᵀ − w vᵀ, a symmetric rank-2 update.
            Span<double> pv = p.AsSpan(0, size);
            int start = (k + 1) * n + k + 1;
            for (int i = 0; i < size; i++)
            {
                pv[i] = beta * TensorPrimitives.Dot<double>(a.AsSpan(start + i * n, size), v);
            }
            double half = 0.5 * beta * TensorPrimitives.Dot<double>(pv, v);
            TensorPrimitives.MultiplyAdd<double>(v, -half, pv, pv);
            for (int i = 0; i < size; i++)
            {
                Span<double> row = a.AsSpan(start + i * n, size);
                DenseKernels.AddScaled(row, -v[i], pv);
                DenseKernels.AddScaled(row, -pv[i], v);
            }
        }
        if (n >= 2)
        {
            diagonal[n - 2] = a[(n - 2) * n + n - 2];
            offDiagonal[n - 2] = a[(n - 2) * n + n - 1];
        }
        diagonal[n - 1] = a[n * n - 1];
        offDiagonal[n - 1] = 0;
    }

    /// <summary>
    /// Writes Qᵀ into <paramref name="rows"/>. Q is built back to front (Q = H₀(H₁(⋯H_{n−3}))), each
    /// reflector touching only the trailing block, which costs (2/3)n³ instead of n³; one transpose
    /// then gives the row layout the QL rotations want.
    /// </summary>
    private static void AccumulateTransposedReflectors(double[] a, int n, double[] reflectorScales, double[] rows)
    {
        var q = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            q[i * n + i] = 1;
        }
        var w = new double[n];
        for (int k = n - 3; k >= 0; k--)
        {
            double beta = reflectorScales[k];
            if (beta == 0)
            {
                continue;
            }
            int size = n - k - 1;
            ReadOnlySpan<double> v = a.AsSpan(k * n + k + 1, size);
            // wᵀ = β vᵀ Q_block, a combination of the block's rows; then Q_block −= v wᵀ.
            Span<double> wv = w.AsSpan(0, size);
            wv.Clear();
            int start = (k + 1) * n + k + 1;
            for (int i = 0; i < size; i++)
            {
                DenseKernels.AddScaled(wv, beta * v[i], q.AsSpan(start + i * n, size));
            }
            for (int i = 0; i < size; i++)
            {
                DenseKernels.AddScaled(q.AsSpan(start + i * n, size), -v[i], wv);
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                rows[j * n + i] = q[i * n + j];
            }
        }
    }

    /// <summary>
    /// Implicit QL on the tridiagonal (diagonal, offDiagonal[i] coupling i and i+1). Each rotation of
    /// the plane (i, i+1) is applied to rows i and i+1 of <paramref name="vectorRows"/>, so the rows
    /// end as the eigenvectors of the original matrix.
    /// </summary>
    private static void DiagonalizeTridiagonal(double[] d, double[] e, int n, double[]? vectorRows)
    {
        // A coupling is negligible next to its two diagonal entries (the relative test, which keeps small
        // eigenvalues' vectors accurate) or, once the iteration has stalled, next to the whole matrix
        // (EISPACK tql2's absolute test): the Gram matrix of a nearly low-rank float matrix has hundreds
        // of eigenvalues at rounding level, where rounding keeps e[m] at about ε·‖T‖ and the relative
        // test alone never deflates (it threw on every exactly-rank-15 300×784 float matrix tried).
        // Eigenvalues at that level carry no relative accuracy through the Gram route anyway.
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]));
        double negligible = MachineEpsilon * norm;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            while (true)
            {
                // Find the first negligible coupling at or below l: the block l..m is unreduced.
                int m = l;
                for (; m < n - 1; m++)
                {
                    double coupling = Math.Abs(e[m]);
                    if (coupling <= MachineEpsilon * (Math.Abs(d[m]) + Math.Abs(d[m + 1])) || (iterations >= StalledAfter && coupling <= negligible))
                    {
                        break;
                    }
                }
                if (m == l)
                {
                    break;
                }
                if (++iterations > MaxIterationsPerEigenvalue)
                {
                    throw new ArithmeticException(
                        $"Symmetric eigensolver: QL did not converge for eigenvalue {l} of {n} after {MaxIterationsPerEigenvalue} iterations; the input probably holds NaN or infinity.");
                }
                // Shift: the eigenvalue of the leading 2×2 block closer to d[l].
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.Sqrt(g * g + 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double s = 1, c = 1, p = 0;
                bool deflatedEarly = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // Underflow split the block: take what was done and start this block again.
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflatedEarly = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    if (vectorRows is not null)
                    {
                        DenseKernels.Rotate(vectorRows.AsSpan(i * n, n), vectorRows.AsSpan((i + 1) * n, n), c, s);
                    }
                }
                if (deflatedEarly)
                {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        double big = Math.Max(ax, ay);
        if (big == 0)
        {
            return 0;
        }
        double small = Math.Min(ax, ay) / big;
        return big * Math.Sqrt(1 + small * small);
    }

    private static void SortDescending(double[] values, int n, double[]? vectorRows)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (x, y) => values[y].CompareTo(values[x]));
        var sortedValues = new double[n];
        for (int i = 0; i < n; i++)
        {
            sortedValues[i] = values[order[i]];
        }
        sortedValues.CopyTo(values, 0);
        if (vectorRows is null)
        {
            return;
        }
        var sortedRows = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(vectorRows, order[i] * n, sortedRows, i * n, n);
        }
        sortedRows.CopyTo(vectorRows, 0);
    }
}
