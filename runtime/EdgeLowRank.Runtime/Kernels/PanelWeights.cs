using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The weights of one dense operation as the kernel drivers take them: f32 panels, or int8 panels with one f32 scale per
/// column, both read in place. The SIMD kernels widen an int8 row in registers as they read it (<see cref="Int8Rows{TRow}"/>),
/// so no f32 copy of int8 weights is ever made; the scalar reference reads each element as q × scale.
/// </summary>
internal readonly ref struct PanelWeights
{
    private readonly ReadOnlySpan<float> _floats;
    private readonly ReadOnlySpan<sbyte> _quantized;
    private readonly ReadOnlySpan<float> _scales;

    private PanelWeights(ReadOnlySpan<float> floats, ReadOnlySpan<sbyte> quantized, ReadOnlySpan<float> scales)
    {
        _floats = floats;
        _quantized = quantized;
        _scales = scales;
    }

    /// <summary>f32 panels (<see cref="PackedMatrix.Data"/>).</summary>
    public static PanelWeights Float32(ReadOnlySpan<float> packed) => new(packed, default, default);

    /// <summary>The weights of <paramref name="matrix"/>, f32 or int8.</summary>
    public static PanelWeights Of(PackedMatrix matrix) => matrix.ElementType == ElementType.Int8
        ? new(default, matrix.Quantized.Span, matrix.Scales.Span)
        : Float32(matrix.Data.Span);

    /// <summary>Whether the panels are int8.</summary>
    public bool IsQuantized => !_quantized.IsEmpty;

    /// <summary>The number of stored elements (f32 or int8), for checks.</summary>
    public int Length => IsQuantized ? _quantized.Length : _floats.Length;

    /// <summary>The panel whose first column is <paramref name="n0"/> (a multiple of 16) of a matrix with
    /// <paramref name="inputs"/> rows, in place: K rows of 16 floats or of 16 signed bytes.</summary>
    public ref readonly byte Panel(int n0, int inputs) // panel n0/16 starts at (n0/16)·K·16
    {
        int start = n0 * inputs;
        return ref IsQuantized
            ? ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(_quantized[start..]))
            : ref Unsafe.As<float, byte>(ref MemoryMarshal.GetReference(_floats[start..]));
    }

    /// <summary>The 16 column scales of the int8 panel at <paramref name="n0"/>: in place, or for the partial last panel
    /// copied into <paramref name="padded"/> with zeros after the last column (its padding bytes are 0, so any finite
    /// scale would do). f32 panels have none: <paramref name="padded"/> is returned, and not read.</summary>
    public ref readonly float PanelScales(int n0, Span<float> padded)
    {
        if (!IsQuantized) return ref MemoryMarshal.GetReference(padded);
        ReadOnlySpan<float> scales = _scales[n0..];
        if (scales.Length >= PackedMatrix.PanelWidth) return ref MemoryMarshal.GetReference(scales);
        padded.Clear();
        scales.CopyTo(padded);
        return ref MemoryMarshal.GetReference(padded);
    }

    /// <summary>Element (k, n) of the logical matrix, as the definition says: the scalar reference's read.</summary>
    public float Element(int k, int n, int inputs)
    {
        int index = (n / PackedMatrix.PanelWidth * inputs + k) * PackedMatrix.PanelWidth + n % PackedMatrix.PanelWidth;
        return IsQuantized ? _quantized[index] * _scales[n] : _floats[index];
    }
}
