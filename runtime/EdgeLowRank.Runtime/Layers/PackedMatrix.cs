namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A K×N weight matrix (K inputs, N outputs) stored the way the GEMV and GEMM kernels read it:
/// the columns are cut into panels of <see cref="PanelWidth"/>, and each panel is stored as K rows of
/// <see cref="PanelWidth"/> contiguous floats (the last panel zero-padded). One layout serves both
/// batch sizes: batch 1 streams each panel once, broadcasting one input per row, and the GEMM's
/// register block loads one panel row per step. The same bytes sit in the .elr file, so a
/// memory-mapped model runs without repacking.
/// </summary>
public sealed class PackedMatrix
{
    /// <summary>Columns per panel: four 128-bit or two 256-bit vectors of f32.</summary>
    public const int PanelWidth = 16;

    /// <summary>Wraps packed data that is already laid out in panels (for example, mapped from a file).</summary>
    /// <exception cref="ArgumentException">The data length does not match <see cref="PackedLength"/>.</exception>
    public PackedMatrix(int rows, int columns, ReadOnlyMemory<float> packed)
    {
        long expected = PackedLength(rows, columns);
        if (packed.Length != expected)
            throw new ArgumentException($"A packed {rows}×{columns} matrix holds {expected} floats, not {packed.Length}.", nameof(packed));
        Rows = rows;
        Columns = columns;
        Data = packed;
    }

    /// <summary>K: the number of rows (inputs).</summary>
    public int Rows { get; }

    /// <summary>N: the number of columns (outputs).</summary>
    public int Columns { get; }

    /// <summary>The packed floats, ⌈N / 16⌉ panels of <see cref="Rows"/>×<see cref="PanelWidth"/>.</summary>
    public ReadOnlyMemory<float> Data { get; }

    /// <summary>⌈columns / 16⌉.</summary>
    public static int PanelsFor(int columns) => (int)((columns + (long)PanelWidth - 1) / PanelWidth); // long: no overflow near int.MaxValue

    /// <summary>The number of floats a packed rows×columns matrix occupies; -1 when an argument is not positive.</summary>
    public static long PackedLength(int rows, int columns) =>
        rows < 1 || columns < 1 ? -1 : (long)rows * PanelsFor(columns) * PanelWidth;

    /// <summary>Element (row, column) of the logical matrix.</summary>
    public float this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
            if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column));
            int panel = column / PanelWidth;
            return Data.Span[(panel * Rows + row) * PanelWidth + column % PanelWidth];
        }
    }

    /// <summary>Packs a row-major K×N matrix: <c>source[k * columns + n]</c> is W(k, n).</summary>
    public static PackedMatrix FromRowMajor(ReadOnlySpan<float> source, int rows, int columns) =>
        Pack(source, rows, columns, transposed: false);

    /// <summary>Packs a matrix given output-major, as PyTorch and ONNX store a linear layer's weight:
    /// <c>source[n * rows + k]</c> is W(k, n).</summary>
    public static PackedMatrix FromOutputMajor(ReadOnlySpan<float> source, int rows, int columns) =>
        Pack(source, rows, columns, transposed: true);

    /// <summary>Unpacks into a new row-major K×N array.</summary>
    public float[] ToRowMajor()
    {
        var result = new float[(long)Rows * Columns];
        for (int k = 0; k < Rows; k++)
            for (int n = 0; n < Columns; n++)
                result[(long)k * Columns + n] = this[k, n];
        return result;
    }

    private static PackedMatrix Pack(ReadOnlySpan<float> source, int rows, int columns, bool transposed)
    {
        long length = PackedLength(rows, columns);
        if (length < 0) throw new ArgumentException($"A matrix needs positive dimensions, not {rows}×{columns}.");
        if (source.Length != (long)rows * columns)
            throw new ArgumentException($"A {rows}×{columns} matrix has {(long)rows * columns} elements, not {source.Length}.", nameof(source));
        var packed = new float[length];
        PackInto(source, rows, columns, transposed, packed);
        return new PackedMatrix(rows, columns, packed);
    }

    /// <summary>Writes the panel layout of a K×N matrix into <paramref name="destination"/> (length
    /// <see cref="PackedLength"/>), zero-filling the padding. Used by the trainer, which repacks
    /// its weights after every update, so it allocates nothing.</summary>
    /// <param name="source">Row-major K×N, or N×K when <paramref name="transposed"/>.</param>
    /// <param name="rows">K.</param>
    /// <param name="columns">N.</param>
    /// <param name="transposed">Whether <paramref name="source"/> is output-major (N×K).</param>
    /// <param name="destination">The packed panels.</param>
    public static void PackInto(ReadOnlySpan<float> source, int rows, int columns, bool transposed, Span<float> destination)
    {
        int panels = PanelsFor(columns);
        if (destination.Length != (long)rows * panels * PanelWidth)
            throw new ArgumentException("The destination does not have the packed length.", nameof(destination));
        for (int p = 0; p < panels; p++)
        {
            int n0 = p * PanelWidth;
            int width = Math.Min(PanelWidth, columns - n0);
            Span<float> panel = destination.Slice(p * rows * PanelWidth, rows * PanelWidth);
            for (int k = 0; k < rows; k++)
            {
                Span<float> row = panel.Slice(k * PanelWidth, PanelWidth);
                if (transposed)
                {
                    for (int j = 0; j < width; j++) row[j] = source[(n0 + j) * rows + k];
                }
                else
                {
                    source.Slice(k * columns + n0, width).CopyTo(row);
                }
                row[width..].Clear();
            }
        }
    }
}
