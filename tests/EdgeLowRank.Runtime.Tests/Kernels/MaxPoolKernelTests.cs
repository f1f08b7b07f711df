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
}
