using EdgeLowRank.Runtime.Kernels;

namespace EdgeLowRank.Runtime.Layers;

/// <summary>
/// A K×N weight matrix (K inputs, N outputs) stored the way the GEMV and GEMM kernels read it:
/// the columns are cut into panels of <see cref="PanelWidth"/>, and each panel is stored as K rows of
/// <see cref="PanelWidth"/> contiguous floats (the last panel zero-padded). One layout serves both
/// batch sizes: batch 1 streams each panel once, broadcasting one input per row, and the GEMM's
/// register block loads one panel row per step. The same bytes sit in the .elr file, so a
/// memory-mapped model runs without repacking. An <see cref="ElementType.Int8"/> matrix keeps the same layout in
/// signed bytes, with one f32 scale per column (<see cref="Quantize"/>): a quarter of the bytes, widened to f32 a panel
/// at a time as the kernels run.
/// </summary>
internal sealed class PackedMatrix
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
        ElementType = ElementType.Float32;
    }

    /// <summary>Wraps an <see cref="ElementType.Int8"/> matrix already laid out in panels: <paramref name="packed"/> holds
    /// <see cref="PackedLength"/> signed bytes (the padding 0), <paramref name="scales"/> one f32 per column.</summary>
    /// <exception cref="ArgumentException">A length does not match, or a scale is negative or not finite.</exception>
    public PackedMatrix(int rows, int columns, ReadOnlyMemory<sbyte> packed, ReadOnlyMemory<float> scales)
    {
        long expected = PackedLength(rows, columns);
        if (packed.Length != expected)
            throw new ArgumentException($"A packed {rows}×{columns} int8 matrix holds {expected} bytes, not {packed.Length}.", nameof(packed));
        if (scales.Length != columns)
            throw new ArgumentException($"An int8 matrix of {columns} columns has {columns} scales (one per column), not {scales.Length}.", nameof(scales));
        int bad = IndexOfInvalidScale(scales.Span);
        if (bad >= 0)
            throw new ArgumentException($"Scale {bad} is {scales.Span[bad]}; a column's scale is not negative, and 128 times it is finite.", nameof(scales));
        Rows = rows;
        Columns = columns;
        Quantized = packed;
        Scales = scales;
        ElementType = ElementType.Int8;
    }

    /// <summary>K: the number of rows (inputs).</summary>
    public int Rows { get; }

    /// <summary>N: the number of columns (outputs).</summary>
    public int Columns { get; }

    /// <summary>How the elements are stored: <see cref="ElementType.Float32"/> in <see cref="Data"/>, or
    /// <see cref="ElementType.Int8"/> in <see cref="Quantized"/> and <see cref="Scales"/>.</summary>
    public ElementType ElementType { get; }

    /// <summary>The packed floats, ⌈N / 16⌉ panels of <see cref="Rows"/>×<see cref="PanelWidth"/>; empty for an int8 matrix.</summary>
    public ReadOnlyMemory<float> Data { get; }

    /// <summary>An int8 matrix's packed bytes, in the layout of <see cref="Data"/>; empty for an f32 matrix.</summary>
    public ReadOnlyMemory<sbyte> Quantized { get; }

    /// <summary>An int8 matrix's scale per column: element (k, n) is <see cref="Quantized"/>(k, n) × scale n. Empty for an f32 matrix.</summary>
    public ReadOnlyMemory<float> Scales { get; }

    private IntegerPanels? _integerPanels;

    /// <summary>An int8 matrix rearranged for integer products, made on first use (by the first layer with
    /// <see cref="InputQuantization.Dynamic"/> to run) and kept with the matrix, so sessions share it.</summary>
    internal IntegerPanels IntegerPanels => Volatile.Read(ref _integerPanels) ?? MakeIntegerPanels();

    /// <summary>Makes <see cref="IntegerPanels"/> once; two sessions racing to it make equal ones, and the first kept wins.
    /// Apart from the property so that reading it allocates nothing (a lambda capturing the matrix would, on every run).</summary>
    private IntegerPanels MakeIntegerPanels() =>
        Interlocked.CompareExchange(ref _integerPanels, IntegerPanels.From(this), null) ?? _integerPanels!;

    /// <summary>The bytes the K×N elements take at their type, without panel padding: 4 each for f32; 1 each plus a
    /// 4-byte scale per column for int8.</summary>
    public long ParameterBytes => ElementType == ElementType.Int8
        ? (long)Rows * Columns + (long)Columns * sizeof(float)
        : (long)Rows * Columns * sizeof(float);

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
            int index = (column / PanelWidth * Rows + row) * PanelWidth + column % PanelWidth;
            return ElementType == ElementType.Int8 ? Quantized.Span[index] * Scales.Span[column] : Data.Span[index];
        }
    }

    /// <summary>Packs a row-major K×N matrix: <c>source[k * columns + n]</c> is W(k, n).</summary>
    public static PackedMatrix FromRowMajor(ReadOnlySpan<float> source, int rows, int columns) =>
        Pack(source, rows, columns, transposed: false);

    /// <summary>Packs a matrix given output-major, as PyTorch and ONNX store a linear layer's weight:
    /// <c>source[n * rows + k]</c> is W(k, n).</summary>
    public static PackedMatrix FromOutputMajor(ReadOnlySpan<float> source, int rows, int columns) =>
        Pack(source, rows, columns, transposed: true);

    /// <summary>Packs a row-major K×N int8 matrix (<c>source[k * columns + n]</c> is q(k, n)) with its scale per column.</summary>
    /// <exception cref="ArgumentException">A length does not match the dimensions, or a scale is negative or not finite.</exception>
    public static PackedMatrix FromRowMajor(ReadOnlySpan<sbyte> source, ReadOnlyMemory<float> scales, int rows, int columns)
    {
        long length = PackedLength(rows, columns);
        if (length < 0) throw new ArgumentException($"A matrix needs positive dimensions, not {rows}×{columns}.");
        if (source.Length != (long)rows * columns)
            throw new ArgumentException($"A {rows}×{columns} matrix has {(long)rows * columns} elements, not {source.Length}.", nameof(source));
        var packed = new sbyte[length];
        PackInto(source, rows, columns, transposed: false, packed.AsSpan());
        return new PackedMatrix(rows, columns, packed, scales);
    }

    /// <summary>An int8 matrix's bytes unpacked into a new row-major K×N array (the scales are <see cref="Scales"/>).</summary>
    /// <exception cref="InvalidOperationException">The matrix is f32.</exception>
    public sbyte[] QuantizedToRowMajor()
    {
        if (ElementType != ElementType.Int8) throw new InvalidOperationException("The matrix is Float32; it has no quantized bytes.");
        var result = new sbyte[(long)Rows * Columns];
        ReadOnlySpan<sbyte> packed = Quantized.Span;
        for (int k = 0; k < Rows; k++)
            for (int n = 0; n < Columns; n++)
                result[(long)k * Columns + n] = packed[(n / PanelWidth * Rows + k) * PanelWidth + n % PanelWidth];
        return result;
    }

    /// <summary>Unpacks into a new row-major K×N array (an int8 matrix's elements times their column's scale).</summary>
    public float[] ToRowMajor()
    {
        var result = new float[(long)Rows * Columns];
        for (int k = 0; k < Rows; k++)
            for (int n = 0; n < Columns; n++)
                result[(long)k * Columns + n] = this[k, n];
        return result;
    }

    /// <summary>This matrix with every column quantized to signed bytes, symmetrically: scale n = max_k |W(k, n)| / 127 and
    /// q(k, n) = W(k, n) / scale n rounded to the nearest integer (ties to even), so |W − q·scale| ≤ scale / 2. A column of
    /// zeros gets scale 0, and so does one whose largest |W| is below 127 times the smallest normal float (about 1.5e-36),
    /// whose scale would be subnormal and imprecise. Per column, not per tensor: one large output would otherwise coarsen every other.</summary>
    /// <exception cref="ArgumentException">The matrix is already int8, or holds a NaN or infinity.</exception>
    public PackedMatrix Quantize()
    {
        if (ElementType != ElementType.Float32) throw new ArgumentException($"The matrix is already {ElementType}.");
        ReadOnlySpan<float> data = Data.Span;
        var scales = new float[Columns];
        for (int n = 0; n < Columns; n++)
        {
            float largest = 0;
            for (int k = 0; k < Rows; k++)
            {
                float w = this[k, n];
                if (!float.IsFinite(w)) throw new ArgumentException($"Element ({k}, {n}) is {w}; only finite weights can be quantized.");
                largest = Math.Max(largest, Math.Abs(w));
            }
            scales[n] = float.IsNormal(largest / QuantizedLimit) ? largest / QuantizedLimit : 0;
        }
        var quantized = new sbyte[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            int column = i / (Rows * PanelWidth) * PanelWidth + i % PanelWidth;
            if (column < Columns && scales[column] > 0)
                quantized[i] = (sbyte)Math.Clamp(MathF.Round(data[i] / scales[column]), -QuantizedLimit, QuantizedLimit);
        }
        return new PackedMatrix(Rows, Columns, quantized, scales);
    }

    /// <summary>The largest magnitude <see cref="Quantize"/> writes: symmetric, so −128 is never used and q and −q both exist.</summary>
    public const int QuantizedLimit = 127;

    /// <summary>The index of the first scale that is negative, NaN, or so large that an element (up to ±128 × it) could be
    /// infinite; or -1.</summary>
    public static int IndexOfInvalidScale(ReadOnlySpan<float> scales)
    {
        for (int i = 0; i < scales.Length; i++)
            if (!(scales[i] >= 0) || !float.IsFinite(scales[i] * 128)) return i;
        return -1;
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
    public static void PackInto(ReadOnlySpan<float> source, int rows, int columns, bool transposed, Span<float> destination) =>
        PackInto<float>(source, rows, columns, transposed, destination);

    /// <summary><see cref="PackInto(ReadOnlySpan{float}, int, int, bool, Span{float})"/> for any element type: the reader packs
    /// row-major int8 matrices into int8 panels with it.</summary>
    internal static void PackInto<T>(ReadOnlySpan<T> source, int rows, int columns, bool transposed, Span<T> destination)
        where T : unmanaged
    {
        int panels = PanelsFor(columns);
        if (destination.Length != (long)rows * panels * PanelWidth)
            throw new ArgumentException("The destination does not have the packed length.", nameof(destination));
        for (int p = 0; p < panels; p++)
        {
            int n0 = p * PanelWidth;
            int width = Math.Min(PanelWidth, columns - n0);
            Span<T> panel = destination.Slice(p * rows * PanelWidth, rows * PanelWidth);
            for (int k = 0; k < rows; k++)
            {
                Span<T> row = panel.Slice(k * PanelWidth, PanelWidth);
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
