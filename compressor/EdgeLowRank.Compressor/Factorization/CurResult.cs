namespace EdgeLowRank.Compressor.Factorization;

/// <summary>A CUR approximation of rank r: the selected rows and columns and the factors the runtime stores.</summary>
public sealed class CurResult
{
    internal CurResult(LowRankFactors factors, int[] rowIndices, int[] columnIndices)
    {
        Factors = factors;
        RowIndices = rowIndices;
        ColumnIndices = columnIndices;
    }

    /// <summary>Θ = Left·Right with Left = C·U (m×r, core truncated to rank r) and Right the r×n row-side factor.</summary>
    public LowRankFactors Factors { get; }

    /// <summary>I: the selected rows of W, in selection order (p(r) of them; more than r when oversampling).</summary>
    public IReadOnlyList<int> RowIndices { get; }

    /// <summary>J: the selected columns of W, in selection order.</summary>
    public IReadOnlyList<int> ColumnIndices { get; }
}
