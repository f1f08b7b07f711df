using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class PoolKernelTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(6, 6)] // the whole 7×6 image's first six rows: a global average
    public void Average_pooling_matches_the_scalar_reference_bit_for_bit_for_one_to_67_channels(int size, int stride)
    {
        const int Height = 7, Width = 6;
        var geometry = new ConvolutionGeometry(size, stride);
        var random = new Random(size + 100);
        for (int channels = 1; channels <= 67; channels++)
        {
            float[] image = RandomData.Uniform(random, Height * Width * channels, -10, 10);
            int outLength = geometry.OutputHeight(Height) * geometry.OutputWidth(Width) * channels;
            var simd = new float[outLength];
            var reference = new float[outLength];

            AvgPoolKernel.Run(image, Height, Width, channels, geometry, simd);
            AvgPoolKernel.Reference(image, Height, Width, channels, geometry, reference);

            Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), simd.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Average_pooling_gives_each_windows_mean_per_channel()
    {
        // A 4×4 image of 9 channels (one full vector and an overlapping last one on AVX2 and arm64), pooled 2×2 by 2:
        // channel c of pixel (y, x) holds 100·c + 4·y + x, so the window at (oy, ox) averages to 100·c + 8·oy + 2·ox + 2.5.
        const int Side = 4, Channels = 9;
        var image = new float[Side * Side * Channels];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
                for (int c = 0; c < Channels; c++)
                    image[(y * Side + x) * Channels + c] = 100 * c + 4 * y + x;
        var pooled = new float[2 * 2 * Channels];

        AvgPoolKernel.Run(image, Side, Side, Channels, new ConvolutionGeometry(2, 2), pooled);

        for (int oy = 0; oy < 2; oy++)
            for (int ox = 0; ox < 2; ox++)
                for (int c = 0; c < Channels; c++)
                    Assert.Equal(100 * c + 8 * oy + 2 * ox + 2.5f, pooled[(oy * 2 + ox) * Channels + c]);
    }

    [Theory]
    [InlineData(2, 2, 0, 0, 0, 0)]
    [InlineData(3, 1, 0, 0, 0, 0)]
    [InlineData(3, 2, 1, 1, 1, 1)] // ResNet's stem
    [InlineData(3, 2, 1, 0, 1, 1)] // Keras' SAME over the 7×6 image: a row above and below, a column right only
    [InlineData(2, 2, 0, 0, 1, 0)] // a 2/2 SAME: a row below only
    [InlineData(3, 1, 2, 0, 0, 2)] // two rows above, two columns right
    public void Max_pooling_matches_the_scalar_reference_for_one_to_67_channels(int size, int stride, int top, int left, int bottom, int right)
    {
        // The vectorized kernel takes the maximum of whole pixel vectors, so the channel count is its vector length; a
        // padded window pools the image's −∞-bordered copy, the reference skips the positions outside the image.
        const int Height = 7, Width = 6;
        var geometry = new ConvolutionGeometry(size, stride, new WindowPadding(top, left, bottom, right));
        var random = new Random(size);
        for (int channels = 1; channels <= 67; channels++)
        {
            float[] image = RandomData.Uniform(random, Height * Width * channels, -2, -1); // all negative: a zero border would win
            int outLength = geometry.OutputHeight(Height) * geometry.OutputWidth(Width) * channels;
            var simd = new float[outLength];
            var reference = new float[outLength];

            MaxPoolKernel.RunPadded(image, Height, Width, channels, geometry, simd, new float[MaxPoolKernel.BorderedFloats(Height, Width, channels, geometry)]);
            MaxPoolKernel.Reference(image, Height, Width, channels, geometry, reference);

            Assert.Equal(reference, simd);
        }
    }

    [Theory]
    [InlineData(4 * 4 * 8 - 1, 2 * 2 * 8, 0)] // an image short by one float
    [InlineData(4 * 4 * 8, 2 * 2 * 8 - 1, 0)] // an output short by one
    [InlineData(4 * 4 * 8, 3 * 3 * 8, 1)]     // padding, which pooling does not take
    public void Spans_that_do_not_fit_the_shapes_are_refused_before_anything_is_read(int imageFloats, int outputFloats, int padding)
    {
        var geometry = new ConvolutionGeometry(2, 2, padding);

        Assert.Throws<ArgumentException>(() => MaxPoolKernel.Run(new float[imageFloats], 4, 4, 8, geometry, new float[outputFloats]));
        Assert.Throws<ArgumentException>(() => AvgPoolKernel.Run(new float[imageFloats], 4, 4, 8, geometry, new float[outputFloats]));
    }

    [Theory]
    [InlineData(21)] // Vector<float> on AVX2 and arm64
    [InlineData(5)]  // four lanes on x64 (Vector128), Vector<float> on arm64
    public void NaN_and_signed_zeros_come_out_as_the_scalar_reference_gives_them(int channels)
    {
        // A NaN anywhere in a window makes the window's maximum NaN (IEEE 754-2019, as MathF.Max), and +0 beats -0,
        // in every lane: the vector loop's first lanes, its overlapping last vector, and the pixels between.
        const int Side = 4;
        var geometry = new ConvolutionGeometry(2, 2);
        var random = new Random(9);
        float[] image = RandomData.Uniform(random, Side * Side * channels);
        for (int i = 0; i < image.Length; i += 7) image[i] = float.NaN;
        // The first window is signed zeros over negatives in every channel: its maximum must be +0, whichever zero comes first.
        for (int c = 0; c < channels; c++)
        {
            image[c] = c % 2 == 0 ? 0f : -0f; // +0 first in even channels, second in odd ones
            image[channels + c] = c % 2 == 0 ? -0f : 0f;
            image[Side * channels + c] = -1f - c;
            image[(Side + 1) * channels + c] = -2f;
        }
        var simd = new float[2 * 2 * channels];
        var reference = new float[simd.Length];

        MaxPoolKernel.Run(image, Side, Side, channels, geometry, simd);
        MaxPoolKernel.Reference(image, Side, Side, channels, geometry, reference);

        Assert.Contains(simd, float.IsNaN);
        Assert.All(simd[..channels], zero => Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(zero)));
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), simd.Select(BitConverter.SingleToInt32Bits));
    }
}
