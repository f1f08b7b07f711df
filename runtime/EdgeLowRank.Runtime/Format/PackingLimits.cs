using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Format;

/// <summary>
/// The reader's bounds on the panels it packs at load from the weight matrices a file stores row-major (since format 1.2),
/// which the writer keeps every file within. Packing can take 16× a matrix's stored bytes (a one-column matrix fills 1 float
/// of each 16), so without a bound a hostile file of one-column matrices would make the reader commit 16× its own size.
/// </summary>
internal static class PackingLimits
{
    /// <summary>The most bytes one matrix may take once packed: its panels are one block, addressed by an int.</summary>
    public const long MaxMatrixBytes = int.MaxValue;

    /// <summary>The budget of a file however small it is.</summary>
    private const long MinimumBudget = 64L << 20;

    /// <summary>How <see cref="Budget"/> is computed, for messages.</summary>
    public const string BudgetRule = "twice the file, at least 64 MiB";

    /// <summary>The most a file of <paramref name="fileLength"/> bytes may pack at load, all its row-major matrices together.</summary>
    public static long Budget(long fileLength) => Math.Max(MinimumBudget, 2 * fileLength);

    /// <summary>The bytes a <paramref name="rows"/>×<paramref name="columns"/> matrix of <paramref name="type"/> takes once packed into panels.</summary>
    public static long PackedBytes(int rows, int columns, ElementType type) =>
        PackedMatrix.PackedLength(rows, columns) * (type == ElementType.Int8 ? sizeof(sbyte) : sizeof(float));
}
