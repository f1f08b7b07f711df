namespace EdgeLowRank.Compressor.Factorization;

/// <summary>
/// The pieces every CUR quantity here is built from, for the first p indices of nested row and
/// column orders: orthonormal bases Q_C of span C = W(:,J) and Q_R of span Rᵀ = W(I,:)ᵀ, and the
/// core M = Q_Cᵀ W Q_R. With the projection core, Θ = C C⁺ W R⁺ R = Q_C M Q_Rᵀ, so
/// ‖W − Θ‖² = ‖W‖² − ‖M‖² and truncating M to rank r gives ‖W‖² − Σ_{i≤r} σᵢ(M)². Because the bases
/// grow one vector at a time, the core of any shorter prefix is a leading block of M.
/// </summary>
internal sealed class CurSubspaces
{
    private CurSubspaces(int[] columnBasisSizes, int[] rowBasisSizes, ReadOnlyMemory<double> columnBasisRows, ReadOnlyMemory<double> rowBasisRows, double[] core,
        int coreRows, int coreColumns)
    {
        ColumnBasisSizes = columnBasisSizes;
        RowBasisSizes = rowBasisSizes;
        ColumnBasisRows = columnBasisRows;
        RowBasisRows = rowBasisRows;
        Core = core;
        CoreRows = coreRows;
        CoreColumns = coreColumns;
    }

    /// <summary>ColumnBasisSizes[p] = dim span of the first p selected columns.</summary>
    public int[] ColumnBasisSizes { get; }

    /// <summary>RowBasisSizes[p] = dim span of the first p selected rows.</summary>
    public int[] RowBasisSizes { get; }

    /// <summary>Q_Cᵀ: CoreRows × m.</summary>
    public ReadOnlyMemory<double> ColumnBasisRows { get; }

    /// <summary>Q_Rᵀ: CoreColumns × n.</summary>
    public ReadOnlyMemory<double> RowBasisRows { get; }

    /// <summary>M = Q_Cᵀ W Q_R, CoreRows × CoreColumns, row-major.</summary>
    public double[] Core { get; }

    public int CoreRows { get; }

    public int CoreColumns { get; }

    /// <summary>
    /// Builds the bases for the first <paramref name="count"/> indices and the core. Cost: about
    /// 4p²(m+n) for the two Gram–Schmidt passes plus mnp + mp² for M.
    /// </summary>
    public static CurSubspaces Build(double[] w, int m, int n, int[] rowOrder, int[] columnOrder, int count)
    {
        // The selected columns and rows as rows of two matrices, each grown into its basis in order.
        var columns = new double[count * m];
        for (int p = 0; p < count; p++)
        {
            int j = columnOrder[p];
            for (int i = 0; i < m; i++)
            {
                columns[p * m + i] = w[i * n + j];
            }
        }
        var rows = new double[count * n];
        for (int p = 0; p < count; p++)
        {
            Array.Copy(w, rowOrder[p] * n, rows, p * n, n);
        }
        var columnBasis = new OrthonormalBasis(m, count);
        var rowBasis = new OrthonormalBasis(n, count);
        var columnSizes = new int[count + 1];
        var rowSizes = new int[count + 1];
        columnBasis.AddRange(columns, count, columnSizes.AsSpan(1));
        rowBasis.AddRange(rows, count, rowSizes.AsSpan(1));
        int kc = columnBasis.Count, kr = rowBasis.Count;
        ReadOnlyMemory<double> columnRows = columnBasis.Rows, rowRows = rowBasis.Rows;
        var core = new double[kc * kr];
        if (kc > 0 && kr > 0)
        {
            // W Q_R (m×kr), then Q_Cᵀ (W Q_R).
            var wTimesRowBasis = new double[m * kr];
            DenseKernels.Multiply(w, DenseKernels.Transpose(rowRows.Span, kr, n), wTimesRowBasis, m, n, kr);
            DenseKernels.Multiply(columnRows.Span, wTimesRowBasis, core, kc, m, kr);
        }
        return new CurSubspaces(columnSizes, rowSizes, columnRows, rowRows, core, kc, kr);
    }

    /// <summary>The leading rows × columns block of the core, row-major.</summary>
    public double[] CoreBlock(int rows, int columns)
    {
        var block = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            Array.Copy(Core, i * CoreColumns, block, i * columns, columns);
        }
        return block;
    }
}
