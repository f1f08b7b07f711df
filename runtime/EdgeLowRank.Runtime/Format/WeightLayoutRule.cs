using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>The writer's choice of layout for one K×N weight matrix. Panel-16 runs in place but stores
/// K·(16⌈N/16⌉ − N) zeros; row-major stores none but costs a packing pass and a packed copy at load.
/// Padding is a fraction of the matrix that does not depend on K, so the choice depends on N alone:
/// wide matrices (N a multiple of 16, or N ≥ 226) stay in place, narrow ones such as low-rank factors
/// (N = r) shed up to 15/16 of their bytes.</summary>
internal static class WeightLayoutRule
{
    /// <summary>Padding of more than 1/this of the matrix's own elements goes out of the file: below it the
    /// file grows by at most 6.25%, not worth a copy of the matrix in memory.</summary>
    public const int PaddingLimitDenominator = 16;

    /// <summary>The layout <paramref name="policy"/> gives a matrix of <paramref name="columns"/> columns.</summary>
    public static TensorLayout Choose(WeightLayoutPolicy policy, int columns) =>
        policy == WeightLayoutPolicy.Compact && PaddingExceedsLimit(columns) ? TensorLayout.RowMajor : TensorLayout.Panel16;

    /// <summary>K·padding &gt; K·N/16, with K cancelled: 16·(16⌈N/16⌉ − N) &gt; N.</summary>
    public static bool PaddingExceedsLimit(int columns)
    {
        long padding = (long)PackedMatrix.PanelsFor(columns) * PackedMatrix.PanelWidth - columns;
        return padding * PaddingLimitDenominator > columns;
    }
}
