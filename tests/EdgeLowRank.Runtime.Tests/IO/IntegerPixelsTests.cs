using System.Numerics;
using EdgeLowRank.Runtime.IO;

namespace EdgeLowRank.Runtime.Tests.IO;

/// <summary>The one byte-to-float pixel conversion of elr-run and libelr: the vector path gives its scalar reference's
/// floats, bit for bit, for every byte at every scale a model may record, whatever the length's tail.</summary>
public sealed class IntegerPixelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(255)]
    [InlineData(65_535)]
    public void The_vector_path_divides_every_byte_as_the_scalar_reference_bit_for_bit(int scale)
    {
        int width = Vector<byte>.Count;
        // Every length short of, at and past one, two and several vectors of bytes (and 256 + a tail, so that every byte
        // value lands in the vector loop), each from several starting bytes.
        int[] lengths = [0, 1, width - 1, width, width + 1, 2 * width + 3, 255, 256, 257, 256 + width + 5, 4 * 256 + width - 1];
        foreach (int length in lengths)
        {
            for (int first = 0; first < 256; first += 37)
            {
                byte[] pixels = Enumerable.Range(first, length).Select(i => (byte)i).ToArray();
                float[] vector = new float[length], reference = new float[length];
                IntegerPixels.Divide(pixels, vector, scale);
                IntegerPixels.DivideReference(pixels, reference, scale);
                Assert.Equal(Bits(reference), Bits(vector));
                // And both are the plain division of each byte as a float.
                Assert.Equal(pixels.Select(p => BitConverter.SingleToInt32Bits(p / (float)scale)), Bits(vector));
            }
        }
    }

    [Fact]
    public void Only_the_first_pixels_length_floats_are_written()
    {
        float[] values = [-1, -1, -1, -1];
        IntegerPixels.Divide([255, 51], values, 255);
        Assert.Equal([1f, 0.2f, -1, -1], values);
    }

    [Fact]
    public void A_scale_below_1_and_too_few_floats_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegerPixels.Divide([1], new float[1], 0));
        Assert.Throws<ArgumentException>(() => IntegerPixels.Divide([1, 2], new float[1], 255));
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
