using EdgeLowRank.Runtime.Kernels;
using EdgeLowRank.Runtime.Layers;

namespace EdgeLowRank.Runtime.Tests.Kernels;

/// <summary>The patch matrix the trainer's convolutions multiply (<see cref="Im2Col"/>), checked element by element against
/// the definition: row (oy·w′ + ox), column (ky·k + kx)·c + ci holds pixel (oy·s − top + ky, ox·s − left + kx), channel ci,
/// or 0 where that lies in the padding.</summary>
public class Im2ColTests
{
    [Theory]
    [InlineData(7, 9, 3, 3, 2, 1, 1, 1, 1)] // padded alike on every side
    [InlineData(8, 8, 2, 3, 2, 0, 0, 1, 1)] // TensorFlow's SAME at stride 2 over even sides
    [InlineData(7, 10, 2, 4, 1, 1, 1, 2, 2)] // PyTorch's padding='same' with an even kernel
    [InlineData(6, 9, 3, 3, 1, 0, 1, 1, 0)] // top and left unlike
    [InlineData(9, 5, 1, 3, 1, 2, 0, 0, 2)] // two rows above, two columns right
    public void Each_patch_holds_the_pixels_under_its_window_and_zeros_in_the_padding(int height, int width, int channels, int k, int stride,
        int top, int left, int bottom, int right)
    {
        var geometry = new ConvolutionGeometry(k, stride, new WindowPadding(top, left, bottom, right));
        int outHeight = (height + top + bottom - k) / stride + 1, outWidth = (width + left + right - k) / stride + 1;
        float[] image = RandomData.Uniform(new Random(height * 10 + width), height * width * channels, 1, 2); // no zero pixel
        int patchLength = k * k * channels;
        var patches = Enumerable.Repeat(float.NaN, outHeight * outWidth * patchLength).ToArray();

        Im2Col.Run(image, height, width, channels, geometry, patches);

        for (int oy = 0; oy < outHeight; oy++)
            for (int ox = 0; ox < outWidth; ox++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                        for (int ci = 0; ci < channels; ci++)
                        {
                            int iy = oy * stride - top + ky, ix = ox * stride - left + kx;
                            bool inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            float expected = inside ? image[(iy * width + ix) * channels + ci] : 0f;
                            Assert.Equal(expected, patches[(oy * outWidth + ox) * patchLength + (ky * k + kx) * channels + ci]);
                        }
    }
}
