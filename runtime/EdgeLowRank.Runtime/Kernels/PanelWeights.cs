using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The weights of one dense operation as the kernel drivers take them: f32 panels read in place, or int8 panels that are
/// widened to f32 one panel at a time into a buffer of <see cref="DequantizedFloats"/> floats. A panel is widened once per
/// call and then read by every row of the batch (and every pixel of a convolution), so the widening costs K×16
/// conversions per panel against K×16 multiply–adds per row; the f32 kernels run unchanged on the result.
/// </summary>
internal readonly ref struct PanelWeights
{
    private readonly ReadOnlySpan<float> _floats;
    private readonly ReadOnlySpan<sbyte> _quantized;
    private readonly ReadOnlySpan<float> _scales;
    private readonly Span<float> _buffer;

    private PanelWeights(ReadOnlySpan<float> floats, ReadOnlySpan<sbyte> quantized, ReadOnlySpan<float> scales, Span<float> buffer)
    {
        _floats = floats;
        _quantized = quantized;
        _scales = scales;
        _buffer = buffer;
    }

    /// <summary>f32 panels (<see cref="PackedMatrix.Data"/>), read in place.</summary>
    public static PanelWeights Float32(ReadOnlySpan<float> packed) => new(packed, default, default, default);

    /// <summary>The weights of <paramref name="matrix"/>; an int8 matrix widens its panels into <paramref name="buffer"/>
    /// (<see cref="DequantizedFloats"/> floats at least), an f32 matrix needs none.</summary>
    public static PanelWeights Of(PackedMatrix matrix, Span<float> buffer)
    {
        if (matrix.ElementType != ElementType.Int8) return Float32(matrix.Data.Span);
        Debug.Assert(buffer.Length >= DequantizedFloats(matrix));
        return new(default, matrix.Quantized.Span, matrix.Scales.Span, buffer[..(matrix.Rows * PackedMatrix.PanelWidth)]);
    }

    /// <summary>The buffer an int8 matrix needs: one panel of f32 (K×16); 0 for an f32 matrix.</summary>
    public static long DequantizedFloats(PackedMatrix matrix) =>
        matrix.ElementType == ElementType.Int8 ? (long)matrix.Rows * PackedMatrix.PanelWidth : 0;

    /// <summary>Whether the panels are int8.</summary>
    public bool IsQuantized => !_quantized.IsEmpty;

    /// <summary>The number of stored elements (f32 or int8), for checks.</summary>
    public int Length => IsQuantized ? _quantized.Length : _floats.Length;

    /// <summary>The f32 panel whose first column is <paramref name="n0"/> (a multiple of 16) of a matrix with
    /// <paramref name="inputs"/> rows: in place, or widened into the buffer (overwriting the previous panel).</summary>
    public ref readonly float Panel(int n0, int inputs)
    {
        if (!IsQuantized) return ref _floats[n0 * inputs];
        Span<float> padded = stackalloc float[PackedMatrix.PanelWidth];
        PanelDequantizer.Run(_quantized.Slice(n0 * inputs, _buffer.Length), PanelScales(n0, padded), _buffer);
        return ref MemoryMarshal.GetReference(_buffer);
    }

    /// <summary>The int8 panel whose first column is <paramref name="n0"/>, in place: K rows of 16 bytes.</summary>
    public ref readonly sbyte QuantizedPanel(int n0, int inputs)
    {
        Debug.Assert(IsQuantized);
        return ref _quantized[n0 * inputs]; // panel n0/16 starts at (n0/16)·K·16
    }

    /// <summary>The 16 column scales of the int8 panel at <paramref name="n0"/>: in place, or for the partial last panel
    /// copied into <paramref name="padded"/> with zeros after the last column (its padding bytes are 0, so any finite
    /// scale would do).</summary>
    public ReadOnlySpan<float> PanelScales(int n0, Span<float> padded)
    {
        ReadOnlySpan<float> scales = _scales[n0..];
        if (scales.Length >= PackedMatrix.PanelWidth) return scales[..PackedMatrix.PanelWidth];
        padded.Clear();
        scales.CopyTo(padded);
        return padded;
    }

    /// <summary>Every panel of an int8 matrix widened to f32 at once into <paramref name="buffer"/>
    /// (<see cref="PackedMatrix.PackedLength"/> floats), as f32 weights: for a convolution, which runs the same small
    /// matrix once per image. f32 weights are returned as they are. <paramref name="vector"/>: whether SIMD may widen them
    /// (not on the scalar kernel path; the values are the same).</summary>
    public static PanelWeights WidenedOnce(PackedMatrix matrix, Span<float> buffer, bool vector)
    {
        if (matrix.ElementType != ElementType.Int8) return Float32(matrix.Data.Span);
        int panelFloats = matrix.Rows * PackedMatrix.PanelWidth;
        var int8 = new PanelWeights(default, matrix.Quantized.Span, matrix.Scales.Span, default);
        Span<float> padded = stackalloc float[PackedMatrix.PanelWidth];
        for (int n0 = 0, start = 0; n0 < matrix.Columns; n0 += PackedMatrix.PanelWidth, start += panelFloats)
            PanelDequantizer.Run(matrix.Quantized.Span.Slice(start, panelFloats), int8.PanelScales(n0, padded), buffer.Slice(start, panelFloats), vector);
        return Float32(buffer[..(int)PackedMatrix.PackedLength(matrix.Rows, matrix.Columns)]);
    }

    /// <summary>The buffer <see cref="WidenedOnce"/> needs: the whole packed matrix for int8; 0 for f32.</summary>
    public static long WidenedOnceFloats(PackedMatrix matrix) =>
        matrix.ElementType == ElementType.Int8 ? PackedMatrix.PackedLength(matrix.Rows, matrix.Columns) : 0;

    /// <summary>Element (k, n) of the logical matrix, as the definition says: the scalar reference's read.</summary>
    public float Element(int k, int n, int inputs)
    {
        int index = (n / PackedMatrix.PanelWidth * inputs + k) * PackedMatrix.PanelWidth + n % PackedMatrix.PanelWidth;
        return IsQuantized ? _quantized[index] * _scales[n] : _floats[index];
    }
}
