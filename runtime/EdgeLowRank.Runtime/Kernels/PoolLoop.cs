using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Kernels;

/// <summary>
/// The vector loop of <see cref="PoolKernel{TPooling}"/> at one width: per output pixel, the channels a vector at a time,
/// each window combined in window order. The last vector of a pixel ends at its last channel, overlapping the one before:
/// those channels are computed twice, the same way, and stored twice with the same values. It replaced a TensorPrimitives
/// call per window pixel, whose fixed cost per call outweighed 20 channels of work (LeNet-5's first pooling at batch 64:
/// 313 µs before; bench/RESULTS.md). Pools the channels from <c>firstChannel</c> up to <c>endChannel</c>, at least
/// <c>TLanes.Count</c> of them: a channel's windows do not depend on the others', so a pooling split across threads by
/// runs of channels computes what one thread computes.
/// </summary>
internal static class PoolLoop<TVector, TLanes, TPooling>
    where TLanes : IVectorLanes<TVector>
    where TPooling : IWindowPooling<TVector>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ReadOnlySpan<float> image, int height, int width, int channels, ConvolutionGeometry geometry, Span<float> output,
        int firstChannel, int endChannel)
    {
        int lanes = TLanes.Count;
        int k = geometry.KernelSize, stride = geometry.Stride;
        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
        ref float source = ref MemoryMarshal.GetReference(image);
        ref float target = ref MemoryMarshal.GetReference(output);
        int windowRow = width * channels;
        nuint step = (nuint)channels, rowEnd = (nuint)(k * channels); // a window row's pixels, and its end, in floats
        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                nuint corner = (nuint)((oy * stride * width + ox * stride) * channels);
                nuint pooled = (nuint)((oy * outWidth + ox) * channels);
                for (int c = firstChannel; ; c += lanes)
                {
                    c = Math.Min(c, endChannel - lanes);
                    // The taps by pointer steps, the first row's after its first pixel: an index computed per tap
                    // (ky·row + kx·channels) took more instructions than the load and the combination.
                    ref float window = ref Unsafe.Add(ref source, corner + (nuint)c);
                    TVector value = TLanes.Load(ref window, 0);
                    for (nuint tap = step; tap < rowEnd; tap += step)
                        value = TPooling.Combine(value, TLanes.Load(ref window, tap));
                    for (int ky = 1; ky < k; ky++)
                    {
                        window = ref Unsafe.Add(ref window, windowRow);
                        for (nuint tap = 0; tap < rowEnd; tap += step)
                            value = TPooling.Combine(value, TLanes.Load(ref window, tap));
                    }
                    TLanes.Store(TPooling.Finish(value, k * k), ref target, pooled + (nuint)c);
                    if (c == endChannel - lanes) break;
                }
            }
        }
    }
}
