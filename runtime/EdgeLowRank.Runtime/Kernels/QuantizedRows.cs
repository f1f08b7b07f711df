using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// A batch of input rows quantized to uint8 (<see cref="DynamicQuantization"/>), in scratch memory the caller owns: each row
/// ⌈K/4⌉·4 values, one per 16-bit element (so four of them load as one 64-bit lane, the operand the integer kernels broadcast;
/// the elements past K are 0), and each row's scale and zero point. Carved from f32 scratch, so a session's arena holds it.
/// </summary>
internal readonly ref struct QuantizedRows
{
    /// <summary>Carves the rows of a batch of <paramref name="batch"/> rows with <paramref name="groups"/> groups of four
    /// inputs each out of <paramref name="scratch"/> (at least <see cref="FloatsFor"/> floats).</summary>
    public QuantizedRows(Span<float> scratch, int batch, int groups)
    {
        int values = batch * groups * IntegerPanels.GroupRows;
        Values = MemoryMarshal.Cast<float, ushort>(scratch[..(values / 2)]);
        Scales = scratch.Slice(values / 2, batch);
        ZeroPoints = MemoryMarshal.Cast<float, int>(scratch.Slice(values / 2 + batch, batch));
        Width = groups * IntegerPanels.GroupRows;
    }

    private QuantizedRows(Span<ushort> values, Span<float> scales, Span<int> zeroPoints, int width)
    {
        Values = values;
        Scales = scales;
        ZeroPoints = zeroPoints;
        Width = width;
    }

    /// <summary>The f32 scratch a batch of <paramref name="batch"/> rows of <paramref name="groups"/> groups takes: two
    /// values a float, and a float each for the scale and the zero point of a row.</summary>
    public static long FloatsFor(int batch, int groups) => (long)batch * (groups * IntegerPanels.GroupRows / 2 + 2);

    /// <summary>The quantized values, <see cref="Width"/> a row.</summary>
    public Span<ushort> Values { get; }

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
        new(Values.Slice(start * Width, count * Width), Scales.Slice(start, count), ZeroPoints.Slice(start, count), Width);
}
