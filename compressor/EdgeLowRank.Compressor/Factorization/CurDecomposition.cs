using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// CUR decomposition W ≈ C U R with C = W(:,J), R = W(I,:) chosen from the singular vectors of W
/// (see <see cref="CurSelection"/>) and, by default, U = C⁺ W R⁺ computed through orthonormal bases
/// of C and R (never by inverting CᵀC). Selections are nested (see <see cref="SelectionBlocks"/>), so
/// <see cref="ErrorCurve(Matrix{double}, CurOptions?, int)"/> gives the error of every rank from one
/// set of bases, and <see cref="Factorize(Matrix{double}, int, CurOptions?)"/> at rank r builds exactly
/// the approximation whose error the curve reports at r.
/// </summary>
public static class CurDecomposition
{
    /// <summary>The rank-<paramref name="rank"/> CUR approximation of <paramref name="matrix"/>.</summary>
    public static CurResult Factorize(Matrix<double> matrix, int rank, CurOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Factorize(matrix.ToRowMajorArray(), matrix.RowCount, matrix.ColumnCount, rank, options ?? new CurOptions());
    }

    /// <summary>
    /// e(r) = ‖W − Θ(r)‖_F² for r = 0..<paramref name="maxRank"/> (min(m,n) when negative), where Θ(r) is
    /// what <see cref="Factorize(Matrix{double}, int, CurOptions?)"/> returns at rank r. Projection core only.
    /// </summary>
    /// <remarks>
    /// Scheme: one SVD (vectors to the depth the selection needs), one nested row order and column
    /// order of length P = p(maxRank), one pass of Gram–Schmidt growing Q_C and Q_R over that order
    /// (≈ 4P²(m+n) flops), and M = Q_Cᵀ W Q_R (≈ mnP). Then, without oversampling,
    /// e(r) = ‖W‖² − ‖M[0..r, 0..r]‖² from a 2-D prefix sum of M² (O(P²) for all r); with oversampling,
    /// one symmetric eigenvalue problem of the leading p×p block per selection block p (≈ 3.5P³ in all),
    /// e(r) = ‖W‖² − Σ_{i≤r} σᵢ²(M_p). Absolute accuracy is about ε‖W‖² (the subtraction cancels
    /// when e(r) is tiny), which is far below anything the rank enumeration can distinguish.
    /// </remarks>
    public static double[] ErrorCurve(Matrix<double> matrix, CurOptions? options = null, int maxRank = -1)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return ErrorCurve(matrix.ToRowMajorArray(), matrix.RowCount, matrix.ColumnCount, options ?? new CurOptions(), maxRank);
    }

    internal static double[] ErrorCurve(double[] w, int m, int n, CurOptions options, int maxRank) =>
        Enumerate(w, m, n, options, maxRank).ErrorCurve;

    /// <summary>
    /// The C step's view of CUR: the error curve for ranks 0..<paramref name="maxRank"/> (min(m,n) when
    /// negative) and the factors at any of those ranks, all from one SVD, one selection order and one
    /// set of bases, so choosing a rank and then building it costs one factorization, not two.
    /// Projection core only.
    /// </summary>
    internal static CurEnumeration Enumerate(double[] w, int m, int n, CurOptions options, int maxRank)
    {
        options.Validate();
        if (options.Core != CurCore.Projection)
        {
            throw new NotSupportedException("The incremental CUR error curve needs the projection core U = C⁺WR⁺; the cross core W(I,J)⁺ has no nested structure. Use CurCore.Projection.");
        }
        int limit = Math.Min(m, n);
        int highest = maxRank < 0 ? limit : maxRank;
        if (highest > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRank), maxRank, $"A {m}×{n} matrix has ranks 0..{limit}.");
        }
        int selected = SelectionBlocks.SelectedCount(highest, options.Oversampling, limit);
        var (rowOrder, columnOrder) = SelectIndices(w, m, n, selected, options);
        var subspaces = CurSubspaces.Build(w, m, n, rowOrder, columnOrder, selected);
        double total = TensorPrimitives.SumOfSquares<double>(w);

        var curve = new double[highest + 1];
        curve[0] = total;
        if (options.Oversampling == 1)
        {
            double[,] prefix = SquaredPrefixSums(subspaces);
            for (int r = 1; r <= highest; r++)
            {
                double kept = prefix[subspaces.ColumnBasisSizes[r], subspaces.RowBasisSizes[r]];
                curve[r] = Math.Max(total - kept, 0);
            }
        }
        else
        {
            int r0 = 1;
            while (r0 <= highest)
            {
                int p = SelectionBlocks.SelectedCount(r0, options.Oversampling, limit);
                double[] keptByRank = CoreEnergyByRank(subspaces, p);
                for (; r0 <= highest && SelectionBlocks.SelectedCount(r0, options.Oversampling, limit) == p; r0++)
                {
                    double kept = keptByRank[Math.Min(r0, keptByRank.Length - 1)];
                    curve[r0] = Math.Max(total - kept, 0);
                }
            }
        }
        return new CurEnumeration(curve, rank =>
        {
            int p = SelectionBlocks.SelectedCount(rank, options.Oversampling, limit);
            return new CurResult(ProjectionFactors(subspaces, m, n, rank, p), rowOrder[..p], columnOrder[..p]);
        });
    }

    internal static CurResult Factorize(double[] w, int m, int n, int rank, CurOptions options)
    {
        options.Validate();
        int limit = Math.Min(m, n);
        if (rank < 0 || rank > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"A {m}×{n} matrix has ranks 0..{limit}.");
        }
        int selected = SelectionBlocks.SelectedCount(rank, options.Oversampling, limit);
        var (rowOrder, columnOrder) = SelectIndices(w, m, n, selected, options);
        LowRankFactors factors = options.Core == CurCore.Projection
            ? ProjectionFactors(CurSubspaces.Build(w, m, n, rowOrder, columnOrder, selected), m, n, rank, selected)
            : CrossFactors(w, m, n, rank, rowOrder, columnOrder, selected);
        return new CurResult(factors, rowOrder, columnOrder);
    }

    private static (int[] Rows, int[] Columns) SelectIndices(double[] w, int m, int n, int count, CurOptions options)
    {
        int limit = Math.Min(m, n);
        int depth = SelectionOrder.RequiredDepth(options.Selection, count, limit);
        SvdResult svd = TruncatedSvd.Compute(w, m, n, depth);
        // Distinct seeds for the two sides, so rows and columns are not drawn in lockstep.
        int[] rows = SelectionOrder.Compute(options.Selection, svd.LeftRows, m, count, limit, options.Seed);
        int[] columns = SelectionOrder.Compute(options.Selection, svd.RightRows, n, count, limit, unchecked(options.Seed * 31 + 17));
        return (rows, columns);
    }

    /// <summary>
    /// Θ = Q_C [M]_r Q_Rᵀ, with [M]_r the rank-r truncation of the core: Left = Q_C U_M√Σ_M,
    /// Right = √Σ_M V_Mᵀ Q_Rᵀ. Without oversampling [M]_r = M and this equals C (C⁺WR⁺) R exactly.
    /// Factors are zero-padded to exactly r when the selection spans fewer than r directions.
    /// Uses the leading <paramref name="selected"/> indices of <paramref name="subspaces"/> (which may hold more).
    /// </summary>
    private static LowRankFactors ProjectionFactors(CurSubspaces subspaces, int m, int n, int rank, int selected)
    {
        int kc = subspaces.ColumnBasisSizes[selected], kr = subspaces.RowBasisSizes[selected];
        int kept = Math.Min(rank, Math.Min(kc, kr));
        var left = new double[m * rank];
        var right = new double[rank * n];
        if (kept > 0)
        {
            LowRankFactors core = TruncatedSvd.Compute(subspaces.CoreBlock(kc, kr), kc, kr, kept).Truncate(kept);
            var leftKept = new double[m * kept];
            DenseKernels.Multiply(DenseKernels.Transpose(subspaces.ColumnBasisRows.Span[..(kc * m)], kc, m), core.LeftRowMajor, leftKept, m, kc, kept);
            for (int i = 0; i < m; i++)
            {
                Array.Copy(leftKept, i * kept, left, i * rank, kept);
            }
            DenseKernels.Multiply(core.RightRowMajor, subspaces.RowBasisRows.Span[..(kr * n)], right, kept, kr, n);
        }
        return new LowRankFactors(m, n, rank, left, right);
    }

    /// <summary>
    /// Θ = C [W(I,J)]⁺_r R with a truncated pseudo-inverse from MathNet's SVD of the small
    /// intersection (its condition number is the whole problem, so it is not squared by a Gram route):
    /// Left = C V_r Σ_r⁻¹, Right = U_rᵀ R.
    /// </summary>
    private static LowRankFactors CrossFactors(double[] w, int m, int n, int rank, int[] rowOrder, int[] columnOrder, int selected)
    {
        var left = new double[m * rank];
        var right = new double[rank * n];
        if (selected == 0)
        {
            return new LowRankFactors(m, n, rank, left, right);
        }
        var intersection = Matrix<double>.Build.Dense(selected, selected, (a, b) => w[rowOrder[a] * n + columnOrder[b]]);
        var svd = intersection.Svd(computeVectors: true);
        double tolerance = selected * TruncatedSvd.MachineEpsilon * svd.S[0];
        int kept = Math.Min(rank, svd.S.Count(s => s > tolerance));
        for (int t = 0; t < kept; t++)
        {
            double inverse = 1 / svd.S[t];
            for (int i = 0; i < m; i++)
            {
                double sum = 0;
                for (int b = 0; b < selected; b++)
                {
                    sum += w[i * n + columnOrder[b]] * svd.VT[t, b];
                }
                left[i * rank + t] = sum * inverse;
            }
            Span<double> rightRow = right.AsSpan(t * n, n);
            for (int a = 0; a < selected; a++)
            {
                DenseKernels.AddScaled(rightRow, svd.U[a, t], w.AsSpan(rowOrder[a] * n, n));
            }
        }
        return new LowRankFactors(m, n, rank, left, right);
    }

    /// <summary>prefix[a, b] = Σ of M² over the leading a×b block, for every a, b.</summary>
    private static double[,] SquaredPrefixSums(CurSubspaces subspaces)
    {
        int rows = subspaces.CoreRows, columns = subspaces.CoreColumns;
        var prefix = new double[rows + 1, columns + 1];
        for (int a = 0; a < rows; a++)
        {
            for (int b = 0; b < columns; b++)
            {
                double x = subspaces.Core[a * columns + b];
                prefix[a + 1, b + 1] = x * x + prefix[a, b + 1] + prefix[a + 1, b] - prefix[a, b];
            }
        }
        return prefix;
    }

    /// <summary>
    /// kept[r] = Σ_{i≤r} σᵢ² of the core block belonging to p selected indices, for r = 0..its rank:
    /// the eigenvalues of the block's smaller Gram matrix, values only.
    /// </summary>
    private static double[] CoreEnergyByRank(CurSubspaces subspaces, int selected)
    {
        int rows = subspaces.ColumnBasisSizes[selected], columns = subspaces.RowBasisSizes[selected];
        int small = Math.Min(rows, columns);
        var kept = new double[small + 1];
        if (small == 0)
        {
            return kept;
        }
        double[] block = subspaces.CoreBlock(rows, columns);
        var gram = new double[small * small];
        if (rows <= columns)
        {
            DenseKernels.Multiply(block, DenseKernels.Transpose(block, rows, columns), gram, rows, columns, rows);
        }
        else
        {
            DenseKernels.Multiply(DenseKernels.Transpose(block, rows, columns), block, gram, columns, rows, columns);
        }
        var squaredValues = new double[small];
        SymmetricEigenSolver.Solve(gram, small, squaredValues, eigenvectorRows: null);
        for (int i = 0; i < small; i++)
        {
            kept[i + 1] = kept[i] + Math.Max(squaredValues[i], 0);
        }
        return kept;
    }
}
