using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

public class MaxPoolKernelTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    public void MatchesTheScalarReferenceForOneTo67Channels(int size, int stride)
    {
        // The vectorized kernel takes the maximum of whole pixel vectors, so the channel count is its vector length.
        const int Height = 7, Width = 6;
        var geometry = new ConvolutionGeometry(size, stride);
        var random = new Random(size);
        for (int channels = 1; channels <= 67; channels++)
        {
            float[] image = RandomData.Uniform(random, Height * Width * channels);
            int outLength = geometry.OutputSize(Height) * geometry.OutputSize(Width) * channels;
            var simd = new float[outLength];
            var reference = new float[outLength];

            MaxPoolKernel.Run(image, Height, Width, channels, geometry, simd);
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
    }

    [Fact]
    public void NaN_and_signed_zeros_come_out_as_the_scalar_reference_gives_them()
    {
        // A NaN anywhere in a window makes the window's maximum NaN (IEEE 754-2019, as MathF.Max), and +0 beats -0,
        // in every lane: the vector loop's first lanes, its overlapping last vector, and the pixels between.
        const int Side = 4, Channels = 21;
        var geometry = new ConvolutionGeometry(2, 2);
        var random = new Random(9);
        float[] image = RandomData.Uniform(random, Side * Side * Channels);
        for (int i = 0; i < image.Length; i += 7) image[i] = float.NaN;
        // The first window is signed zeros over negatives in every channel: its maximum must be +0, whichever zero comes first.
        for (int c = 0; c < Channels; c++)
        {
            image[c] = c % 2 == 0 ? 0f : -0f; // +0 first in even channels, second in odd ones
            image[Channels + c] = c % 2 == 0 ? -0f : 0f;
            image[Side * Channels + c] = -1f - c;
            image[(Side + 1) * Channels + c] = -2f;
        }
        var simd = new float[2 * 2 * Channels];
        var reference = new float[simd.Length];

        MaxPoolKernel.Run(image, Side, Side, Channels, geometry, simd);
        MaxPoolKernel.Reference(image, Side, Side, Channels, geometry, reference);

        Assert.Contains(simd, float.IsNaN);
        Assert.All(simd[..Channels], zero => Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(zero)));
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), simd.Select(BitConverter.SingleToInt32Bits));
    }
}
