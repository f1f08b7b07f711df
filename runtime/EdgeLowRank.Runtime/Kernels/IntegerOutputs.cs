using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// Where the integer product of one panel puts its outputs, and what it needs to make them from the exact sums: each
/// column's sum of weights (for the zero point), scale and bias (16 each, 0 past N), the activation, each row's scale and
/// zero point, and the row's 16 places in Y (through a copy for the partial last panel). The lanes store a row with
/// <see cref="Store(Vector512{int}, int, int)"/> or its narrower forms, all computing, lane by lane,
/// act((float)(sum − (z − offset)·Σw) · (s·s_w) + b) as <see cref="IntegerDenseReference"/> does.
/// </summary>
internal readonly ref struct IntegerOutputs
{
    private readonly ReadOnlySpan<int> _columnSums;
    private readonly ReadOnlySpan<float> _scales, _bias;
    private readonly FusedActivation _activation;
    private readonly QuantizedRows _rows;
    private readonly Span<float> _y, _partial;
    private readonly int _outputs, _n0, _columns;

    /// <summary>Panel <paramref name="n0"/>/16's outputs; <paramref name="bias"/> is its 16 padded biases, <paramref name="partial"/> 16 floats of room.</summary>
    public IntegerOutputs(IntegerPanels weights, int n0, ReadOnlySpan<float> bias, FusedActivation activation, QuantizedRows rows,
        Span<float> y, Span<float> partial)
    {
        _columnSums = weights.ColumnSums.AsSpan(n0, PackedMatrix.PanelWidth);
        _scales = weights.Scales.AsSpan(n0, PackedMatrix.PanelWidth);
        _bias = bias;
        _activation = activation;
        _rows = rows;
        _y = y;
        _partial = partial;
        _outputs = weights.Columns;
        _n0 = n0;
        _columns = Math.Min(PackedMatrix.PanelWidth, weights.Columns - n0);
    }

    /// <summary>Row <paramref name="row"/>'s outputs from its sums Σ_k (q(k) − <paramref name="levelOffset"/>)·w(k, c), 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<int> sums, int row, int levelOffset)
    {
        Vector512<int> exact = sums - Vector512.Create(_rows.ZeroPoints[row] - levelOffset) * Vector512.LoadUnsafe(ref Ref(_columnSums));
        Vector512<float> value = Vector512.ConvertToSingle(exact) * (Vector512.Create(_rows.Scales[row]) * Vector512.LoadUnsafe(ref Ref(_scales)))
            + Vector512.LoadUnsafe(ref Ref(_bias));
        if (_activation.Clamps) value = Vector512.Max(value, Vector512<float>.Zero);
        if (_activation.Caps) value = Vector512.Min(value, Vector512.Create(_activation.Ceiling));
        if (_activation.HardSwishes) value = HardSwishKernel.Of(value);
        value.StoreUnsafe(ref Target(row));
        Flush(row);
    }

    /// <summary>The same for columns 0–7 (<paramref name="low"/>) and 8–15 (<paramref name="high"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<int> low, Vector256<int> high, int row, int levelOffset) => Store(Values(low, high, row, levelOffset), row);

    /// <summary>The outputs <see cref="Store(Vector256{int}, Vector256{int}, int, int)"/> writes, not yet written: a tile of rows
    /// takes every row's before it writes any, so that no accumulator of its loop is live across a write's call (the JIT
    /// would keep it in memory, and store it there on every pass of the loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector256<float> Low, Vector256<float> High) Values(Vector256<int> low, Vector256<int> high, int row, int levelOffset) =>
        (Half(low, row, levelOffset, 0), Half(high, row, levelOffset, 8));

    /// <summary>Writes row <paramref name="row"/>'s outputs made by <see cref="Values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store((Vector256<float> Low, Vector256<float> High) values, int row)
    {
        ref float target = ref Target(row);
        values.Low.StoreUnsafe(ref target);
        values.High.StoreUnsafe(ref target, 8);
        Flush(row);
    }

    /// <summary>The same for columns 0–3, 4–7, 8–11 and 12–15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d, int row, int levelOffset)
    {
        ref float target = ref Target(row);
        Quarter(a, row, levelOffset, 0).StoreUnsafe(ref target);
        Quarter(b, row, levelOffset, 4).StoreUnsafe(ref target, 4);
        Quarter(c, row, levelOffset, 8).StoreUnsafe(ref target, 8);
        Quarter(d, row, levelOffset, 12).StoreUnsafe(ref target, 12);
        Flush(row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> Half(Vector256<int> sums, int row, int levelOffset, nuint column)
    {
        Vector256<int> exact = sums - Vector256.Create(_rows.ZeroPoints[row] - levelOffset) * Vector256.LoadUnsafe(ref Ref(_columnSums), column);
        Vector256<float> value = Vector256.ConvertToSingle(exact) * (Vector256.Create(_rows.Scales[row]) * Vector256.LoadUnsafe(ref Ref(_scales), column))
            + Vector256.LoadUnsafe(ref Ref(_bias), column);
        if (_activation.Clamps) value = Vector256.Max(value, Vector256<float>.Zero);
        if (_activation.Caps) value = Vector256.Min(value, Vector256.Create(_activation.Ceiling));
        if (_activation.HardSwishes) value = HardSwishKernel.Of(value);
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<float> Quarter(Vector128<int> sums, int row, int levelOffset, nuint column)
    {
        Vector128<int> exact = sums - Vector128.Create(_rows.ZeroPoints[row] - levelOffset) * Vector128.LoadUnsafe(ref Ref(_columnSums), column);
        Vector128<float> value = Vector128.ConvertToSingle(exact) * (Vector128.Create(_rows.Scales[row]) * Vector128.LoadUnsafe(ref Ref(_scales), column))
            + Vector128.LoadUnsafe(ref Ref(_bias), column);
        if (_activation.Clamps) value = Vector128.Max(value, Vector128<float>.Zero);
        if (_activation.Caps) value = Vector128.Min(value, Vector128.Create(_activation.Ceiling));
        if (_activation.HardSwishes) value = HardSwishKernel.Of(value);
        return value;
    }

    /// <summary>Where row <paramref name="row"/>'s 16 outputs are written: in Y, or in the room of the partial last panel.</summary>
    private ref float Target(int row) =>
        ref _columns == PackedMatrix.PanelWidth ? ref _y[row * _outputs + _n0] : ref MemoryMarshal.GetReference(_partial);

    /// <summary>The partial last panel's real columns copied into Y.</summary>
    private void Flush(int row)
    {
        if (_columns < PackedMatrix.PanelWidth) _partial[.._columns].CopyTo(_y.Slice(row * _outputs + _n0, _columns));
    }

    private static ref T Ref<T>(ReadOnlySpan<T> span) => ref MemoryMarshal.GetReference(span);
}
