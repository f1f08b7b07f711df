using System.Runtime.CompilerServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>How the GEMV and the GEMM micro-kernel read the rows of their panel: written once against this, they serve f32
/// panels and int8 ones (each struct a compile-time type argument, so the JIT inlines its members and the f32 loops are the
/// plain ones). An int8 row is widened in registers as it is read, so a quarter of the bytes is streamed and no f32 copy
/// of the weights is ever written; its column scales multiply the finished sums.</summary>
internal interface IPanelRows<TRow> where TRow : struct, IPanelRow<TRow>
{
    /// <summary>Whether the rows are int8 (a constant to the JIT: drivers pick the matching source for narrower rows).</summary>
    static abstract bool IsInt8 { get; }

    /// <summary>Bytes from one panel row to the next.</summary>
    static abstract int RowBytes { get; }

    /// <summary>The panel row at <paramref name="row"/> in f32 (an int8 row not yet scaled).</summary>
    static abstract TRow Load(ref byte row);

    /// <summary>A finished sum of rows as the layer's output before bias: an int8 panel's sum times its column scales
    /// (one multiply per output instead of one per weight), an f32 one as it is.</summary>
    static abstract TRow Finish(TRow sum, in TRow scales);
}

/// <summary>f32 panel rows, read as stored (the scales are not used).</summary>
internal struct Float32Rows<TRow> : IPanelRows<TRow> where TRow : struct, IPanelRow<TRow>
{
    public static bool IsInt8 => false;

    public static int RowBytes => PackedMatrix.PanelWidth * sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Load(ref byte row) => TRow.Load(in Unsafe.As<byte, float>(ref row));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Finish(TRow sum, in TRow scales) => sum;
}

/// <summary>int8 panel rows, widened as they are read (a quarter of the bytes streamed), the column scales applied to the sums.</summary>
internal struct Int8Rows<TRow> : IPanelRows<TRow> where TRow : struct, IPanelRow<TRow>
{
    public static bool IsInt8 => true;

    public static int RowBytes => PackedMatrix.PanelWidth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Load(ref byte row) => TRow.LoadInt8(in Unsafe.As<byte, sbyte>(ref row));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Finish(TRow sum, in TRow scales) => TRow.Scale(sum, in scales);
}
