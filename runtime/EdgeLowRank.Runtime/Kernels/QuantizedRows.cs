using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A batch of input rows quantized to uint8 (<see cref="DynamicQuantization"/>), in scratch memory the caller owns: each row
/// ⌈K/4⌉·4 values, one per 16-bit element (so four of them load as one 64-bit lane, the operand the integer kernels broadcast;
/// the elements past K are 0), and each row's scale and zero point; and room for the same levels a byte each
/// (<see cref="Bytes"/>, what a dot product of four bytes reads), filled by <see cref="NarrowToBytes"/> where a path reads
/// them. Carved from f32 scratch, so a session's arena holds it.
/// </summary>
internal readonly ref struct QuantizedRows
{
    /// <summary>Carves the rows of a batch of <paramref name="batch"/> rows with <paramref name="groups"/> groups of four
    /// inputs each out of <paramref name="scratch"/> (at least <see cref="FloatsFor"/> floats).</summary>
    public QuantizedRows(Span<float> scratch, int batch, int groups)
    {
        int values = batch * groups * IntegerPanels.GroupRows;
        Values = MemoryMarshal.Cast<float, ushort>(scratch[..(values / 2)]);
        Bytes = MemoryMarshal.AsBytes(scratch.Slice(values / 2, values / 4));
        Scales = scratch.Slice(values / 2 + values / 4, batch);
        ZeroPoints = MemoryMarshal.Cast<float, int>(scratch.Slice(values / 2 + values / 4 + batch, batch));
        Width = groups * IntegerPanels.GroupRows;
    }

    private QuantizedRows(Span<ushort> values, Span<byte> bytes, Span<float> scales, Span<int> zeroPoints, int width)
    {
        Values = values;
        Bytes = bytes;
        Scales = scales;
        ZeroPoints = zeroPoints;
        Width = width;
    }

    /// <summary>The f32 scratch a batch of <paramref name="batch"/> rows of <paramref name="groups"/> groups takes: two
    /// values a float, four bytes a float, and a float each for the scale and the zero point of a row.</summary>
    public static long FloatsFor(int batch, int groups) => (long)batch * (groups * IntegerPanels.GroupRows * 3 / 4 + 2);

    /// <summary>The quantized values, <see cref="Width"/> a row.</summary>
    public Span<ushort> Values { get; }

    /// <summary>The values as bytes, <see cref="Width"/> a row, once <see cref="NarrowToBytes"/> has made them.</summary>
    public Span<byte> Bytes { get; }

    /// <summary>Each row's scale s: input x stands for (q − z)·s.</summary>
    public Span<float> Scales { get; }

    /// <summary>Each row's zero point z, 0 to 255.</summary>
    public Span<int> ZeroPoints { get; }

    /// <summary>The values a row holds: ⌈K/4⌉·4.</summary>
    public int Width { get; }

    /// <summary>Row <paramref name="m"/>'s values.</summary>
    public Span<ushort> Row(int m) => Values.Slice(m * Width, Width);

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>, as rows of their own (a
    /// part of a product split by rows).</summary>
    public QuantizedRows Slice(int start, int count) =>
        new(Values.Slice(start * Width, count * Width), Bytes.Slice(start * Width, count * Width), Scales.Slice(start, count),
            ZeroPoints.Slice(start, count), Width);

    /// <summary>The values as <typeparamref name="TLevel"/>: <see cref="Values"/>, or <see cref="Bytes"/> for a byte.</summary>
    public Span<TLevel> Levels<TLevel>() where TLevel : unmanaged =>
        typeof(TLevel) == typeof(byte) ? MemoryMarshal.Cast<byte, TLevel>(Bytes) : MemoryMarshal.Cast<ushort, TLevel>(Values);

    /// <summary>Copies every value into <see cref="Bytes"/>: each is a level 0–255, so narrowing keeps it. Once a batch, after
    /// the quantization and before the products, which may read the rows from several threads.</summary>
    public void NarrowToBytes()
    {
        ReadOnlySpan<ushort> values = Values;
        Span<byte> bytes = Bytes;
        int step = 2 * Vector<ushort>.Count, k = 0;
        for (; k + step <= values.Length; k += step)
            Vector.Narrow(new Vector<ushort>(values[k..]), new Vector<ushort>(values[(k + Vector<ushort>.Count)..])).CopyTo(bytes[k..]);
        for (; k < values.Length; k++) bytes[k] = (byte)values[k];
    }
}
