using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The first half of a convolution in integer arithmetic (a Conv2d or FactorizedConv2d layer with
/// <see cref="Layers.InputQuantization.Dynamic"/>): one image quantized with one scale and zero point
/// (<see cref="DynamicQuantization"/> over the whole image, as ONNX Runtime's DynamicQuantizeLinear quantizes a one-image
/// tensor before its ConvInteger), then each output pixel's window gathered into a row of levels (an im2col of 16-bit
/// levels), every row with the image's scale and zero point. <see cref="IntegerDenseKernel.Multiply"/> does the rest, so
/// a convolution's sums are exact as a dense layer's are. Padding is the zero point, which stands for an exact 0: the image
/// comes bordered with zeros (<see cref="ImplicitConvolution.Windows"/>), which quantize to the zero point and leave the
/// range, which holds 0 anyway, as it is.
/// </summary>
internal static class IntegerConvolution
{
    /// <summary>The f32 scratch <see cref="Quantize"/> needs for an image of <paramref name="imageFloats"/> floats (bordered, if
    /// the convolution pads) with <paramref name="pixels"/> output pixels of <paramref name="inputs"/> inputs each: the
    /// quantized rows first, then the image's levels, two a float.</summary>
    public static long ScratchFloats(int imageFloats, int pixels, int inputs) =>
        IntegerDenseKernel.ScratchFloats(pixels, inputs) + (imageFloats + 1) / 2;

    /// <summary>Quantizes <paramref name="image"/> and writes the quantized rows of its <paramref name="pixels"/> windows
    /// (<paramref name="windows"/>, <see cref="InputRows.Inputs"/> levels each) at the start of <paramref name="scratch"/>
    /// (<see cref="ScratchFloats"/> floats), where <see cref="IntegerDenseKernel.QuantizedRowsIn"/> finds them, narrowed to bytes
    /// where the path reads them (<see cref="IntegerDenseKernel.ReadsBytes"/>). The scalar reference's quantizer on
    /// <see cref="KernelPath.Scalar"/>.</summary>
    public static void Quantize(ReadOnlySpan<float> image, in InputRows windows, int pixels, Span<float> scratch, KernelPath path)
    {
        Debug.Assert(path != KernelPath.Auto);
        int inputs = windows.Inputs;
        int rowFloats = (int)IntegerDenseKernel.ScratchFloats(pixels, inputs);
        QuantizedRows rows = IntegerDenseKernel.QuantizedRowsIn(scratch[..rowFloats], pixels, inputs);
        // A 1×1 convolution's windows are the image's pixels, one after another; with a multiple of four channels its levels
        // already lie as the rows do, so the image is quantized into them and there is nothing to gather.
        bool pixelsAreRows = windows.IsContiguous && windows.RowStride == inputs && windows.GroupStride == windows.GroupRows * inputs
            && image.Length == pixels * inputs && inputs == rows.Width;
        Span<ushort> levels = pixelsAreRows ? rows.Values : MemoryMarshal.Cast<float, ushort>(scratch[rowFloats..])[..image.Length];
        (float scale, int zeroPoint) = path == KernelPath.Scalar
            ? DynamicQuantization.Reference(image, levels)
            : DynamicQuantization.Run(image, levels);
        rows.Scales[..pixels].Fill(scale);
        rows.ZeroPoints[..pixels].Fill(zeroPoint);
        if (!pixelsAreRows) Gather(levels, windows, pixels, rows);
        if (IntegerDenseKernel.ReadsBytes(path)) rows.NarrowToBytes();
    }

    /// <summary>Each output pixel's window of the image's <paramref name="levels"/> into its row.</summary>
    private static void Gather(Span<ushort> levels, in InputRows windows, int pixels, QuantizedRows rows)
    {
        int inputs = windows.Inputs;
        Debug.Assert(windows.Offset(pixels - 1, inputs - 1) < levels.Length && pixels % windows.GroupRows == 0);
        ref ushort source = ref MemoryMarshal.GetReference(levels);
        ref ushort target = ref MemoryMarshal.GetReference(rows.Values);
        int width = rows.Width;
        // Group by group (a convolution's output row) and row by row, so that no row's start costs a division.
        for (int groupStart = 0, m = 0; m < pixels; groupStart += windows.GroupStride)
            for (int i = 0, start = groupStart; i < windows.GroupRows; i++, m++, start += windows.RowStride)
            {
                ref ushort row = ref Unsafe.Add(ref target, m * width);
                // The ⌈K/4⌉·4 − K levels past K are 0: the row's last four first, the runs then overwrite those below K.
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref row, width - 4)), 0UL);
                for (int segment = 0; segment < windows.Segments; segment++)
                    CopyRun(ref Unsafe.Add(ref source, start + segment * windows.SegmentStride), ref Unsafe.Add(ref row, segment * windows.SegmentLength),
                        windows.SegmentLength);
            }
    }

    /// <summary>Copies a run of <paramref name="length"/> levels four at a time, each four one 64-bit move, the last four
    /// overlapping the ones before; a run of up to eight in two such moves, a shorter one level by level. A window's runs
    /// are short (k·c_in: 5 in LeNet-5's first convolution), so what a run costs besides its moves counts: Span.CopyTo's call
    /// and checks took 11 of that convolution's 22 µs, a loop of moves 9 µs, the two moves 5 µs (bench/RESULTS.md, "Integer
    /// convolutions").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref ushort source, ref ushort target, int length)
    {
        if (length < 4)
        {
            for (int i = 0; i < length; i++) Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i);
            return;
        }
        if (length <= 8)
        {
            Move4(ref source, ref target, 0);
            Move4(ref source, ref target, length - 4);
            return;
        }
        for (int i = 0; i < length; i += 4) Move4(ref source, ref target, Math.Min(i, length - 4));
    }

    /// <summary>Levels <paramref name="at"/> to <paramref name="at"/> + 3 as one 64-bit move.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Move4(ref ushort source, ref ushort target, int at) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref target, at)),
            Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref source, at))));
}
