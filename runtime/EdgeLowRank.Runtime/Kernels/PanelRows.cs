using System.Runtime.CompilerServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>A panel row that can also be loaded from sixteen int8 weights, widened to f32 (exactly: every int8 is a float),
/// and whose sums can be scaled per column.</summary>
internal interface IInt8PanelRow<TSelf> : IPanelRow<TSelf> where TSelf : struct, IInt8PanelRow<TSelf>
{
    /// <summary>Loads sixteen signed bytes at <paramref name="source"/> as floats.</summary>
    static abstract TSelf LoadInt8(ref readonly sbyte source);

    /// <summary><paramref name="sum"/> × <paramref name="scales"/>, lane by lane.</summary>
    static abstract TSelf Scale(TSelf sum, in TSelf scales);
}

/// <summary>How a GEMV reads the rows of its panel: written once against this, the loop serves f32 panels and int8 ones
/// (each struct a compile-time type argument, so the JIT inlines its members and the f32 loop is the plain one).</summary>
internal interface IPanelRows<TRow> where TRow : struct, IPanelRow<TRow>
{
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
    public static int RowBytes => PackedMatrix.PanelWidth * sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Load(ref byte row) => TRow.Load(in Unsafe.As<byte, float>(ref row));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Finish(TRow sum, in TRow scales) => sum;
}

/// <summary>int8 panel rows, widened as they are read (a quarter of the bytes streamed), the column scales applied to the sums.</summary>
internal struct Int8Rows<TRow> : IPanelRows<TRow> where TRow : struct, IInt8PanelRow<TRow>
{
    public static int RowBytes => PackedMatrix.PanelWidth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Load(ref byte row) => TRow.LoadInt8(in Unsafe.As<byte, sbyte>(ref row));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TRow Finish(TRow sum, in TRow scales) => TRow.Scale(sum, in scales);
}
