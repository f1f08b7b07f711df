using System.Numerics;
using System.Runtime.InteropServices;
using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class DepthwiseConvKernelTests
{
    [Theory]
    [InlineData(3, 1, 1, 1, 1, 1, true, Activation.Relu)]   // MobileNet's stride-1 block
    [InlineData(3, 2, 1, 1, 1, 1, true, Activation.None)]   // its stride-2 block
    [InlineData(5, 2, 2, 2, 2, 2, false, Activation.None)]  // a wider window, no bias
    [InlineData(4, 3, 0, 0, 0, 0, true, Activation.Relu)]   // an even window whose last columns the stride skips
    [InlineData(1, 1, 0, 0, 0, 0, false, Activation.Relu)]  // a per-channel scale
    [InlineData(7, 1, 3, 3, 3, 3, true, Activation.None)]   // a window wider than the 6-pixel image: every tap row clipped
    [InlineData(3, 2, 0, 0, 1, 1, true, Activation.None)]   // TensorFlow's SAME at stride 2 over the even width
    [InlineData(4, 1, 1, 1, 2, 2, false, Activation.Relu)]  // PyTorch's padding='same' with an even kernel
    [InlineData(3, 1, 0, 1, 1, 0, true, Activation.Relu)]   // top and left unlike
    [InlineData(3, 1, 2, 0, 0, 2, true, Activation.None)]   // two rows above, two columns right
    public void The_vector_paths_match_the_scalar_reference_for_one_to_67_channels(int kernel, int stride, int top, int left, int bottom, int right,
        bool bias, Activation activation)
    {
        // From Vector<float>.Count channels (8 with AVX2, 4 on arm64) the vector loop runs, with an overlapping last vector
        // whenever the count is no multiple of it; fewer channels run the reference itself.
        const int Height = 7, Width = 6;
        var geometry = new ConvolutionGeometry(kernel, stride, new WindowPadding(top, left, bottom, right));
        var random = new Random(kernel * 100 + stride * 10 + top + 3 * left + 5 * bottom + 7 * right);
        for (int channels = 1; channels <= 67; channels++)
        {
            float[] image = RandomData.Uniform(random, Height * Width * channels);
            float[] filters = RandomData.Uniform(random, kernel * kernel * channels);
            float[] shift = bias ? RandomData.Uniform(random, channels) : [];
            int outLength = geometry.OutputHeight(Height) * geometry.OutputWidth(Width) * channels;
            var simd = new float[outLength];
            var reference = new float[outLength];

            DepthwiseConvKernel.Run(image, Height, Width, channels, filters, shift, geometry, activation, simd);
            DepthwiseConvKernel.Reference(image, Height, Width, channels, filters, shift, geometry, FusedActivation.Of(activation), reference, 0, geometry.OutputHeight(Height));

            // The same terms in the same order; only a fused multiply-add's single rounding differs (at most 50 terms of
            // magnitude below 1).
            for (int i = 0; i < outLength; i++)
                Assert.True(MathF.Abs(simd[i] - reference[i]) <= 1e-5f, $"{channels} channels, output {i}: {simd[i]} vs {reference[i]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void The_vector_loop_gives_the_per_pixel_loops_bits_at_every_stride_padding_width_band_and_activation(int kernel)
    {
        // The session promises bit-identical outputs however an image's rows are split, and golden tests store outputs, so
        // the loop must add the same taps in the same order with the same fused multiply-adds as the per-pixel loop it
        // replaced (PerPixelLoop below): a tolerance would let a reordering through. Widths 1–3 make every pixel an edge
        // one, 17, 18 and 75 an interior of blocks, some overlapping, and at 75 of several chunks; sums of 1–49 taps of image
        // values up to 4 often pass ReLU6's 6. Besides every even padding, sides padded differently (format 1.13): the 3×3
        // interior loop then starts at a left padding unlike the top one.
        int lanes = Vector<float>.Count;
        int[] channelCounts = [lanes, lanes + 1, 2 * lanes - 1, 2 * lanes, 3 * lanes + 3, 70];
        FusedActivation[] activations = [FusedActivation.None, FusedActivation.Relu, FusedActivation.Relu6];
        var random = new Random(kernel);
        for (int stride = 1; stride <= 3; stride++)
            foreach (WindowPadding pads in Paddings(kernel))
            {
                var geometry = new ConvolutionGeometry(kernel, stride, pads);
                foreach (int width in (int[])[1, 2, 3, 17, 18, 75])
                    foreach (int height in (int[])[2, 9])
                    {
                        if (height + pads.Height < kernel || width + pads.Width < kernel) continue; // the window does not fit
                        int outHeight = geometry.OutputHeight(height), outWidth = geometry.OutputWidth(width);
                        foreach (int channels in channelCounts)
                        {
                            float[] image = RandomData.Uniform(random, height * width * channels, -4, 4);
                            float[] filters = RandomData.Uniform(random, kernel * kernel * channels);
                            float[] bias = random.Next(2) == 0 ? [] : RandomData.Uniform(random, channels);
                            int first = random.Next(outHeight), end = random.Next(first + 1, outHeight + 1);
                            foreach (FusedActivation activation in activations)
                                foreach ((int bandFirst, int bandEnd) in (ValueTuple<int, int>[])[(0, outHeight), (first, end)])
                                {
                                    // NaN outside the band: a row written outside it differs from the oracle's untouched one.
                                    var actual = Enumerable.Repeat(float.NaN, outHeight * outWidth * channels).ToArray();
                                    var expected = (float[])actual.Clone();
                                    DepthwiseLoop.Run(image, height, width, channels, filters, bias, geometry, activation, actual, bandFirst, bandEnd);
                                    PerPixelLoop(image, height, width, channels, filters, bias, geometry, activation, expected, bandFirst, bandEnd);
                                    int[] actualBits = Array.ConvertAll(actual, BitConverter.SingleToInt32Bits);
                                    int[] expectedBits = Array.ConvertAll(expected, BitConverter.SingleToInt32Bits);
                                    int same = actualBits.AsSpan().CommonPrefixLength(expectedBits);
                                    Assert.True(same == actual.Length, same == actual.Length ? "" : $"{height}×{width}×{channels}, {geometry}, {activation}, " +
                                        $"rows {bandFirst}–{bandEnd}: output {same} is {actual[same]:R}, the per-pixel loop's {expected[same]:R}");
                                }
                        }
                    }
            }
    }

    /// <summary>Every even padding of a <paramref name="kernel"/>-wide window, then sides padded differently: TensorFlow's
    /// SAME at stride 2 (0, 0, 1, 1), top and left unlike (0, 1, 1, 0), the most above and right (k − 1, 0, 0, k − 1), and
    /// PyTorch's padding='same' one further (1, 1, k − 1, k − 1); those whose sides reach the window are left out.</summary>
    private static IEnumerable<WindowPadding> Paddings(int kernel)
    {
        IEnumerable<WindowPadding> uneven = [new(0, 0, 1, 1), new(0, 1, 1, 0), new(kernel - 1, 0, 0, kernel - 1), new(1, 1, kernel - 1, kernel - 1)];
        return Enumerable.Range(0, kernel).Select(WindowPadding.Even)
            .Concat(uneven.Where(p => !p.IsEven && Math.Max(Math.Max(p.Top, p.Left), Math.Max(p.Bottom, p.Right)) < kernel).Distinct());
    }

    /// <summary>The loop before the register-blocked one, kept verbatim (but for its top and left padding, one number before
    /// format 1.13) as the order oracle: per output pixel, the window clipped to the image, per vector of channels (the last
    /// one overlapping), the bias then tap by tap in window order.</summary>
    private static void PerPixelLoop(ReadOnlySpan<float> image, int height, int width, int channels, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, ConvolutionGeometry geometry, FusedActivation activation, Span<float> output, int firstOutputRow, int endOutputRow)
    {
        int lanes = Vector<float>.Count;
        int k = geometry.KernelSize, stride = geometry.Stride, padTop = geometry.Pads.Top, padLeft = geometry.Pads.Left;
        int outWidth = geometry.OutputWidth(width);
        ref float source = ref MemoryMarshal.GetReference(image);
        ref float weights = ref MemoryMarshal.GetReference(filters);
        ref float shift = ref MemoryMarshal.GetReference(bias);
        ref float target = ref MemoryMarshal.GetReference(output);
        bool hasBias = !bias.IsEmpty, clamps = activation.Clamps;
        Vector<float> ceiling = new(activation.Ceiling);
        for (int oy = firstOutputRow; oy < endOutputRow; oy++)
        {
            int top = oy * stride - padTop;
            int firstRow = Math.Max(0, -top), endRow = Math.Min(k, height - top);
            for (int ox = 0; ox < outWidth; ox++)
            {
                int left = ox * stride - padLeft;
                int firstColumn = Math.Max(0, -left), endColumn = Math.Min(k, width - left);
                nuint result = (nuint)((oy * outWidth + ox) * channels);
                for (int c = 0; ; c += lanes)
                {
                    c = Math.Min(c, channels - lanes);
                    Vector<float> sum = hasBias ? Vector.LoadUnsafe(ref shift, (nuint)c) : Vector<float>.Zero;
                    for (int ky = firstRow; ky < endRow; ky++)
                    {
                        nuint pixel = (nuint)(((top + ky) * width + left + firstColumn) * channels + c);
                        nuint tap = (nuint)((ky * k + firstColumn) * channels + c);
                        for (int kx = firstColumn; kx < endColumn; kx++, pixel += (nuint)channels, tap += (nuint)channels)
                            sum = VectorMath.MultiplyAdd(Vector.LoadUnsafe(ref source, pixel), Vector.LoadUnsafe(ref weights, tap), sum);
                    }
                    (clamps ? Vector.Min(Vector.Max(sum, Vector<float>.Zero), ceiling) : sum).StoreUnsafe(ref target, result + (nuint)c);
                    if (c == channels - lanes) break;
                }
            }
        }
    }

    [Theory]
    [InlineData(false, 3, 1, 1, 1, 1, 1)]
    [InlineData(true, 3, 1, 1, 1, 1, 1)]
    [InlineData(false, 3, 2, 1, 1, 1, 1)]
    [InlineData(false, 5, 1, 2, 2, 2, 2)]
    [InlineData(false, 3, 2, 0, 0, 1, 1)] // TensorFlow's SAME at stride 2
    [InlineData(true, 4, 1, 1, 1, 2, 2)]  // PyTorch's padding='same' with an even kernel
    [InlineData(false, 3, 1, 2, 0, 0, 2)]
    public void Bands_of_output_rows_run_in_any_order_compute_the_whole_image(bool scalar, int kernel, int stride, int top, int left, int bottom, int right)
    {
        // How a session splits one image across threads: each band reads the rows its windows cover and writes only its own.
        const int Height = 13, Width = 9, Channels = 19;
        var geometry = new ConvolutionGeometry(kernel, stride, new WindowPadding(top, left, bottom, right));
        var random = new Random(kernel + stride);
        float[] image = RandomData.Uniform(random, Height * Width * Channels);
        float[] filters = RandomData.Uniform(random, kernel * kernel * Channels);
        float[] bias = RandomData.Uniform(random, Channels);
        int rows = geometry.OutputHeight(Height), length = rows * geometry.OutputWidth(Width) * Channels;
        var whole = new float[length];
        var banded = Enumerable.Repeat(float.NaN, length).ToArray();
        Run(0, rows, whole);
        foreach ((int first, int end) in (ValueTuple<int, int>[])[(2 * rows / 3, rows), (rows / 3, 2 * rows / 3), (0, rows / 3)])
            Run(first, end, banded);
        Assert.Equal(whole, banded);

        void Run(int first, int end, float[] output)
        {
            if (scalar) DepthwiseConvKernel.Reference(image, Height, Width, Channels, filters, bias, geometry, FusedActivation.Relu, output, first, end);
            else DepthwiseConvKernel.RunValidated(image, Height, Width, Channels, filters, bias, geometry, FusedActivation.Relu, output, first, end);
        }
    }

    [Theory]
    [InlineData(3)]  // the reference
    [InlineData(6)]  // the reference with AVX2, a vector and an overlapping one on arm64
    [InlineData(11)] // a vector and an overlapping one
    public void A_box_filter_counts_the_pixels_its_window_covers_inside_the_image(int channels)
    {
        // An image of ones, filters of (channel + 1): each output is (channel + 1) × the pixels of its 3×3 window that lie
        // inside the 5×4 image (4 at a corner, 6 along an edge, 9 inside), plus the bias; the padding adds nothing.
        const int Height = 5, Width = 4;
        var geometry = new ConvolutionGeometry(3, 1, 1);
        float[] image = Enumerable.Repeat(1f, Height * Width * channels).ToArray();
        float[] filters = Enumerable.Range(0, 9 * channels).Select(i => (float)(i % channels + 1)).ToArray();
        float[] bias = Enumerable.Range(0, channels).Select(c => 0.5f * c).ToArray();
        var output = new float[Height * Width * channels];

        DepthwiseConvKernel.Run(image, Height, Width, channels, filters, bias, geometry, Activation.None, output);

        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                int rows = 3 - (y == 0 ? 1 : 0) - (y == Height - 1 ? 1 : 0);
                int columns = 3 - (x == 0 ? 1 : 0) - (x == Width - 1 ? 1 : 0);
                for (int c = 0; c < channels; c++)
                    Assert.Equal((c + 1) * rows * columns + 0.5f * c, output[(y * Width + x) * channels + c]);
            }
    }

    [Theory]
    [InlineData(2, 1, 1, 1, 1)]
    [InlineData(5, 1, 1, 1, 1)]
    [InlineData(9, 1, 1, 1, 1)]
    [InlineData(9, 0, 2, 2, 0)] // sides padded differently: a top offset used for the columns, or a left one for the rows, moves the copy
    [InlineData(5, 2, 0, 1, 1)]
    public void Each_tap_reads_its_own_pixel_and_its_own_channel(int channels, int top, int left, int bottom, int right)
    {
        // A filter that is 1 at one tap of one channel and 0 elsewhere copies that channel's image shifted by the tap and the
        // top and left padding, and leaves every other channel 0: a swapped tap, row, side or channel index moves or mixes
        // the copy. The expected copy is written from the definition here, not from the kernel's reference.
        const int Side = 6;
        var geometry = new ConvolutionGeometry(3, 1, new WindowPadding(top, left, bottom, right));
        int outHeight = Side + top + bottom - 2, outWidth = Side + left + right - 2;
        float[] image = Enumerable.Range(0, Side * Side * channels).Select(i => (float)i).ToArray();
        for (int tap = 0; tap < 9; tap++)
        {
            int channel = tap % channels;
            var filters = new float[9 * channels];
            filters[tap * channels + channel] = 1f;
            var output = new float[outHeight * outWidth * channels];

            DepthwiseConvKernel.Run(image, Side, Side, channels, filters, [], geometry, Activation.None, output);

            int dy = tap / 3 - top, dx = tap % 3 - left;
            for (int y = 0; y < outHeight; y++)
                for (int x = 0; x < outWidth; x++)
                    for (int c = 0; c < channels; c++)
                    {
                        int iy = y + dy, ix = x + dx;
                        bool inside = iy >= 0 && iy < Side && ix >= 0 && ix < Side;
                        float expected = c == channel && inside ? image[(iy * Side + ix) * channels + c] : 0f;
                        Assert.Equal(expected, output[(y * outWidth + x) * channels + c]);
                    }
        }
    }

    [Fact]
    public void The_fused_relu_clips_negative_sums_only()
    {
        float[] image = [1f, -2f, 3f, -4f, 5f, -6f, 7f, -8f, 9f]; // one pixel of 9 channels, a 1×1 filter of ones
        var output = new float[9];

        DepthwiseConvKernel.Run(image, 1, 1, 9, Enumerable.Repeat(1f, 9).ToArray(), [], new ConvolutionGeometry(1), Activation.Relu, output);

        Assert.Equal([1f, 0f, 3f, 0f, 5f, 0f, 7f, 0f, 9f], output);
    }

    [Theory]
    [InlineData(4 * 4 * 8 - 1, 9 * 8, 8, 4 * 4 * 8)] // an image short by one float
    [InlineData(4 * 4 * 8, 9 * 8 - 1, 8, 4 * 4 * 8)] // filters short by one
    [InlineData(4 * 4 * 8, 9 * 8, 7, 4 * 4 * 8)]     // a bias of 7 for 8 channels
    [InlineData(4 * 4 * 8, 9 * 8, 8, 4 * 4 * 8 - 1)] // an output short by one
    public void Spans_that_do_not_fit_the_shapes_are_refused_before_anything_is_read(int imageFloats, int filterFloats, int biasFloats, int outputFloats)
    {
        var error = Assert.Throws<ArgumentException>(() => DepthwiseConvKernel.Run(new float[imageFloats], 4, 4, 8, new float[filterFloats],
            new float[biasFloats], new ConvolutionGeometry(3, 1, 1), Activation.None, new float[outputFloats]));
        Assert.Contains(" hold", error.Message);
    }
}
