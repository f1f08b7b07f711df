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
    /// (<see cref="ScratchFloats"/> floats), where <see cref="IntegerDenseKernel.QuantizedRowsIn"/> finds them. The scalar
    /// reference's quantizer on <see cref="KernelPath.Scalar"/>.</summary>
    public static void Quantize(ReadOnlySpan<float> image, in InputRows windows, int pixels, Span<float> scratch, KernelPath path)
    {
        Debug.Assert(path != KernelPath.Auto);
        int inputs = windows.Inputs;
        int rowFloats = (int)IntegerDenseKernel.ScratchFloats(pixels, inputs);
        QuantizedRows rows = IntegerDenseKernel.QuantizedRowsIn(scratch[..rowFloats], pixels, inputs);
        Span<ushort> levels = MemoryMarshal.Cast<float, ushort>(scratch[rowFloats..])[..image.Length];
        (float scale, int zeroPoint) = path == KernelPath.Scalar
            ? DynamicQuantization.Reference(image, levels)
            : DynamicQuantization.Run(image, levels);
        rows.Scales[..pixels].Fill(scale);
        rows.ZeroPoints[..pixels].Fill(zeroPoint);
        Debug.Assert(windows.Offset(pixels - 1, inputs - 1) < levels.Length);
        ref ushort source = ref MemoryMarshal.GetReference(levels);
        for (int m = 0; m < pixels; m++)
        {
            Span<ushort> row = rows.Row(m);
            ref ushort target = ref MemoryMarshal.GetReference(row);
            int start = windows.RowStart(m);
            for (int segment = 0; segment < windows.Segments; segment++)
                CopyRun(ref Unsafe.Add(ref source, start + segment * windows.SegmentStride), ref Unsafe.Add(ref target, segment * windows.SegmentLength),
                    windows.SegmentLength);
            row[inputs..].Clear();
        }
    }

    /// <summary>Copies a run of <paramref name="length"/> levels four at a time, each four one 64-bit move, the last four
    /// overlapping the ones before; a shorter run one by one. A window's runs are short (k·c_in: 5 in LeNet-5's first
    /// convolution), so Span.CopyTo's call and checks took as long as the products (11 of 22 µs for that convolution).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref ushort source, ref ushort target, int length)
    {
        if (length < 4)
        {
            for (int i = 0; i < length; i++) Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i);
            return;
        }
        for (int i = 0; i < length; i += 4)
        {
            int at = Math.Min(i, length - 4);
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref target, at)),
                Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref source, at))));
        }
    }
}
