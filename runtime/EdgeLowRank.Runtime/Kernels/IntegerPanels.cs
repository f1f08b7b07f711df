using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// An int8 weight matrix rearranged for integer products (<see cref="IntegerDenseKernel"/>): the columns cut into panels of
/// 16 as in <see cref="PackedMatrix"/>, each panel stored as ⌈K/4⌉ groups of 64 bytes, and a group the panel's 16 columns
/// each with four consecutive rows, column c's rows 4g … 4g+3 at bytes 4c … 4c+3 (rows past K and columns past N are 0).
/// One 64-byte load then feeds every column of the panel four products: the operand order of x64's multiply-add of adjacent
/// pairs (vpmaddwd, after widening to 16 bits) and of arm64's dot product of four bytes. Made once per matrix, on the first
/// integer product (<see cref="PackedMatrix.IntegerPanels"/>): the file's panel-16 bytes keep the layout the f32 kernels read.
/// </summary>
internal sealed class IntegerPanels
{
    /// <summary>Rows of a group: the products one 32-bit lane sums.</summary>
    public const int GroupRows = 4;

    /// <summary>Bytes of a group: 16 columns × 4 rows.</summary>
    public const int GroupBytes = PackedMatrix.PanelWidth * GroupRows;

    private IntegerPanels(int rows, int columns, sbyte[] groups, int[] columnSums, float[] scales)
    {
        Rows = rows;
        Columns = columns;
        Groups = groups;
        ColumnSums = columnSums;
        Scales = scales;
    }

    /// <summary>K.</summary>
    public int Rows { get; }

    /// <summary>N.</summary>
    public int Columns { get; }

    /// <summary>⌈K/4⌉: the groups of a panel, and the 32-bit lanes an input row fills once quantized (<see cref="QuantizedRows"/>).</summary>
    public int GroupCount => GroupsFor(Rows);

    /// <summary>⌈<paramref name="rows"/>/4⌉: the groups of a matrix of that many rows, and of a row of that many inputs.</summary>
    public static int GroupsFor(int rows) => (rows + GroupRows - 1) / GroupRows;

    /// <summary>The panels one after another, <see cref="GroupCount"/> groups each.</summary>
    public sbyte[] Groups { get; }

    /// <summary>Σ_k q(k, n) for each column, 16 per panel (0 past N): what a zero point z costs a column, z times this.</summary>
    public int[] ColumnSums { get; }

    /// <summary>The columns' scales, 16 per panel (0 past N).</summary>
    public float[] Scales { get; }

    /// <summary>The integer form of the int8 matrix <paramref name="matrix"/>.</summary>
    public static IntegerPanels From(PackedMatrix matrix)
    {
        if (matrix.ElementType != ElementType.Int8)
            throw new ArgumentException("Only an int8 matrix has an integer form.", nameof(matrix));
        int rows = matrix.Rows, columns = matrix.Columns, panels = PackedMatrix.PanelsFor(columns);
        int groupCount = GroupsFor(rows);
        var groups = new sbyte[(long)panels * groupCount * GroupBytes];
        var sums = new int[panels * PackedMatrix.PanelWidth];
        var scales = new float[panels * PackedMatrix.PanelWidth];
        matrix.Scales.Span.CopyTo(scales);
        ReadOnlySpan<sbyte> source = matrix.Quantized.Span; // panel-16: panel p's row k at (p·K + k)·16
        for (int p = 0; p < panels; p++)
            for (int k = 0; k < rows; k++)
                for (int c = 0; c < PackedMatrix.PanelWidth; c++)
                {
                    sbyte q = source[(p * rows + k) * PackedMatrix.PanelWidth + c];
                    groups[((long)p * groupCount + k / GroupRows) * GroupBytes + c * GroupRows + k % GroupRows] = q;
                    sums[p * PackedMatrix.PanelWidth + c] += q;
                }
        return new IntegerPanels(rows, columns, groups, sums, scales);
    }
}
